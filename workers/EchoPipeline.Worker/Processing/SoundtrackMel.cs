using EchoPipeline.Engine.Audio;
using EchoPipeline.Media;

namespace EchoPipeline.Worker.Processing;

/// <summary>The mel of a whole soundtrack, from the mels the engine computed for its windows.</summary>
internal static class SoundtrackMel
{
    /// <summary>
    /// The first window whole, then each further window from its first new token column on: the columns before it are
    /// the previous window's context, which the waveform does not repeat either (EchoGenerator.GenerateLongAsync).
    /// </summary>
    public static MelSpectrogram Of(MelParameters mel, int audioColumns, IReadOnlyList<float[]?> windows, int contextColumns)
    {
        var (bins, frames) = (mel.MelBins, mel.Frames);
        var repeated = contextColumns * (frames / audioColumns);
        var total = frames + ((windows.Count - 1) * (frames - repeated));
        var values = new float[bins * total];
        var at = 0;
        for (var w = 0; w < windows.Count; w++)
        {
            var window = windows[w] ?? throw new InvalidOperationException("An image-to-audio result carries its mel.");
            var first = w == 0 ? 0 : repeated;
            for (var bin = 0; bin < bins; bin++)
            {
                window.AsSpan((bin * frames) + first, frames - first).CopyTo(values.AsSpan((bin * total) + at));
            }

            at += frames - first;
        }

        return new MelSpectrogram(values, bins, total, mel.SampleRate, mel.HopLength, mel.FMin, mel.FMax);
    }
}
