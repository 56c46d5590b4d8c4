namespace EchoPipeline.Engine.Generation.Continuation;

/// <summary>Joins overlapping windows: linear crossfade (the overlap holds the same tokens, so the signals are correlated).</summary>
public static class WaveformCrossfade
{
    /// <summary>
    /// Appends <paramref name="window"/> to <paramref name="output"/>, where window sample <paramref name="joinAt"/>
    /// lines up with the end of the output: the last <paramref name="fade"/> output samples blend into
    /// window[joinAt - fade, joinAt), then window[joinAt..] is appended.
    /// </summary>
    public static void Append(List<float> output, ReadOnlySpan<float> window, int joinAt, int fade)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fade);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fade, Math.Min(joinAt, output.Count));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(joinAt, window.Length);
        var start = output.Count - fade;
        for (var i = 0; i < fade; i++)
        {
            var weight = (i + 0.5f) / fade;
            output[start + i] = (output[start + i] * (1 - weight)) + (window[joinAt - fade + i] * weight);
        }

        foreach (var sample in window[joinAt..])
        {
            output.Add(sample);
        }
    }
}
