using EchoPipeline.Engine.Audio;
using EchoPipeline.Engine.Generation.Continuation;
using EchoPipeline.Media;

namespace EchoPipeline.Worker.Processing;

/// <summary>The mel of a whole soundtrack, from the mels the engine computed for its windows.</summary>
internal static class SoundtrackMel
{
    /// <summary>
    /// Each window's frames where it sits in the soundtrack (<see cref="WindowPlacement"/>), from its first new token
    /// column on: a continuing window's context columns are the previous window's, which the waveform does not repeat
    /// either (EchoGenerator.GenerateSoundtrackAsync). A window that starts a shot is drawn whole from the cut, over the
    /// previous shot's run-on. With <paramref name="lengthSamples"/> the mel spans exactly that much audio.
    /// </summary>
    public static MelSpectrogram Of(MelParameters mel, int audioColumns, IReadOnlyList<float[]?> windows, IReadOnlyList<WindowPlacement> placements, long? lengthSamples = null)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(placements.Count, windows.Count);
        var (bins, frames, hop) = (mel.MelBins, mel.Frames, mel.HopLength);
        var starts = placements.Select(p => (int)Math.Round(p.StartSample / (double)hop)).ToArray();
        var total = lengthSamples is { } length ? (int)((length + hop - 1) / hop) : starts[^1] + frames;
        var values = new float[bins * total];
        for (var w = 0; w < windows.Count; w++)
        {
            var window = windows[w] ?? throw new InvalidOperationException("An image-to-audio result carries its mel.");
            var first = placements[w].ContextColumns * (frames / audioColumns);
            var count = Math.Min(frames, total - starts[w]) - first;
            for (var bin = 0; bin < bins && count > 0; bin++)
            {
                window.AsSpan((bin * frames) + first, count).CopyTo(values.AsSpan((bin * total) + starts[w] + first));
            }
        }

        return new MelSpectrogram(values, bins, total, mel.SampleRate, mel.HopLength, mel.FMin, mel.FMax);
    }
}
