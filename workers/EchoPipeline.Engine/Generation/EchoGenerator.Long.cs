using EchoPipeline.Engine.Generation.Continuation;
using EchoPipeline.Engine.Generation.Unmasking;

namespace EchoPipeline.Engine.Generation;

public sealed partial class EchoGenerator
{
    /// <summary>
    /// K = 8 of 53 columns (about 1.5 s): enough context to carry the sound's character across the seam while most of
    /// each window (45 columns, about 8.4 s) is new. Each window's first K token columns are fixed to the previous
    /// window's last K columns (outpainting), so window i starts (53 - K) columns after window i-1.
    /// </summary>
    public const int DefaultContextColumns = 8;

    /// <summary>Crossfade at each seam and at each cut, in seconds.</summary>
    public const double CrossfadeSeconds = 0.05;

    /// <summary>
    /// Audio longer than one window, without cuts: one image-to-audio window per frame, each conditioned on the previous
    /// window's last <paramref name="contextColumns"/> token columns (see <see cref="GenerateSoundtrackAsync"/>).
    /// </summary>
    public Task<LongEchoResult> GenerateLongAsync(
        IReadOnlyList<byte[]> frames, EchoRequest template, int contextColumns = DefaultContextColumns, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfZero(frames.Count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(contextColumns);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(contextColumns, model.AudioColumns);
        var stride = (long)(model.AudioColumns - contextColumns) * model.SamplesPerAudioColumn;
        return GenerateSoundtrackAsync([.. frames.Select((frame, i) => new SoundtrackWindow(frame, i * stride, StartsShot: i == 0))], template, cancellationToken);
    }

    /// <summary>
    /// A soundtrack from image-to-audio windows (<see cref="SoundtrackWindow"/>): within a shot each window continues the
    /// previous one (its leading columns fixed to that window's tokens), joined with a short crossfade; a window that
    /// starts a shot is generated afresh and crossfaded in at its start, the previous shot's sound fading out over the
    /// same <see cref="CrossfadeSeconds"/>. With <see cref="EchoRequest.LengthSamples"/> the soundtrack is cut to exactly
    /// that length and faded out (<see cref="SoundtrackEnds"/>); without, it ends with the last window. It is
    /// watermarked as one waveform (payload: the template's, or derived from window 0's provenance and frame). Window i
    /// uses <paramref name="template"/> with Image = its frame and Seed =
    /// <see cref="SoundtrackRequest.WindowSeed"/>(template.Seed, i). Windows of different shots share engine batches
    /// (<see cref="GenerateSoundtracksAsync"/>); the result does not depend on how.
    /// </summary>
    public async Task<LongEchoResult> GenerateSoundtrackAsync(IReadOnlyList<SoundtrackWindow> windows, EchoRequest template, CancellationToken cancellationToken = default) =>
        (await GenerateSoundtracksAsync([new SoundtrackRequest(windows, template)], DefaultSoundtrackBatchSize, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Cuts, trims, marks and fades one soundtrack from its windows' results.</summary>
    private LongEchoResult Finish(SoundtrackRequest soundtrack, WindowPlacement[] placements, EchoResult[] results)
    {
        var (windows, template) = (soundtrack.Windows, soundtrack.Template);
        var stitched = Stitch(results, placements);
        stitched = template.LengthSamples is { } length ? SoundtrackEnds.Trim(stitched, length) : stitched;

        // One mark over the whole soundtrack: its period runs on across the seams, so any excerpt verifies.
        var provenance = results[0].Provenance;
        var stamp = _watermark.Apply(stitched, template with { Image = windows[0].Image }, provenance);
        if (template.LengthSamples is not null)
        {
            SoundtrackEnds.FadeOut(stitched, model.Mel.SampleRate);
        }

        return new LongEchoResult(results, placements, stitched, model.Mel.SampleRate, provenance with { Watermark = stamp });
    }

    /// <summary>Each window's start and context: a continuing window snaps to whole columns after the previous one.</summary>
    private WindowPlacement[] Place(IReadOnlyList<SoundtrackWindow> windows)
    {
        var column = model.SamplesPerAudioColumn;
        var placements = new WindowPlacement[windows.Count];
        for (var i = 0; i < windows.Count; i++)
        {
            var window = windows[i];
            ArgumentNullException.ThrowIfNull(window);
            if (i == 0 || window.StartsShot)
            {
                if (i == 0 ? window.StartSample != 0 : window.StartSample <= placements[i - 1].StartSample)
                {
                    throw new ArgumentException($"Window {i} starts at sample {window.StartSample}; the first starts at 0 and each later one after the previous one.", nameof(windows));
                }

                placements[i] = new WindowPlacement(window.StartSample, 0);
                continue;
            }

            var previous = placements[i - 1].StartSample;
            var advance = (int)Math.Round((window.StartSample - previous) / (double)column);
            if (advance < 1 || advance >= model.AudioColumns)
            {
                throw new ArgumentException(
                    $"Window {i} continues window {i - 1} but starts {window.StartSample - previous} samples after it; a continuation starts 1 to {model.AudioColumns - 1} columns of {column} samples later.",
                    nameof(windows));
            }

            placements[i] = new WindowPlacement(previous + ((long)advance * column), model.AudioColumns - advance);
        }

        return placements;
    }

    /// <summary>Shots joined by continuation crossfades inside and cut crossfades between.</summary>
    private float[] Stitch(EchoResult[] results, WindowPlacement[] placements)
    {
        var fade = (int)Math.Round(CrossfadeSeconds * model.Mel.SampleRate);
        var output = new List<float>();
        List<float>? shot = null;
        long shotStart = 0;
        for (var i = 0; i <= results.Length; i++)
        {
            if (i < results.Length && placements[i].ContextColumns > 0)
            {
                // A window is 53 whole columns, so the shot so far ends exactly at this window's sample joinAt.
                var joinAt = placements[i].ContextColumns * model.SamplesPerAudioColumn;
                WaveformCrossfade.Append(shot!, results[i].Waveform, joinAt, Math.Min(joinAt, fade));
                continue;
            }

            if (shot is not null)
            {
                CrossfadeIn(output, shot, shotStart, fade);
            }

            if (i < results.Length)
            {
                (shot, shotStart) = ([.. results[i].Waveform!], placements[i].StartSample);
            }
        }

        return [.. output];
    }

    /// <summary>
    /// Writes a shot's audio from <paramref name="start"/> on: over its first <paramref name="fade"/> samples the sound
    /// already there (the previous shot's run-on past the cut) fades out as the shot fades in; after that the shot alone.
    /// </summary>
    private static void CrossfadeIn(List<float> output, List<float> shot, long start, int fade)
    {
        if (output.Count < start)
        {
            output.AddRange(new float[start - output.Count]);
        }

        var overlap = (int)Math.Min(output.Count - start, shot.Count);
        var blend = Math.Min(fade, overlap);
        for (var j = 0; j < overlap; j++)
        {
            var weight = j < blend ? (j + 0.5f) / blend : 1f;
            output[(int)start + j] = (output[(int)start + j] * (1 - weight)) + (shot[j] * weight);
        }

        output.AddRange(shot.Skip(overlap));
    }

    /// <summary>The previous window's last K columns moved to the first K columns; everything else unknown.</summary>
    private long[] Context(long[] previous, int contextColumns)
    {
        var columns = model.AudioColumns;
        var known = Enumerable.Repeat(ModalityTokens.Unknown, previous.Length).ToArray();
        for (var p = 0; p < previous.Length; p++)
        {
            var (row, column) = (p / columns, p % columns);
            if (column < contextColumns)
            {
                known[p] = previous[(row * columns) + columns - contextColumns + column];
            }
        }

        return known;
    }
}
