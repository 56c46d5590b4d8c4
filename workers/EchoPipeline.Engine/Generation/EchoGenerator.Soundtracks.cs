using EchoPipeline.Engine.Generation.Continuation;

namespace EchoPipeline.Engine.Generation;

/// <summary>
/// Soundtracks batched: a window that continues another must wait for its tokens, so one soundtrack's windows cannot
/// share a batch within a shot; its shots (and other soundtracks' shots) can. Every shot is a chain of windows; each
/// engine batch takes the next window of up to B chains, those with the most windows left first (highest level first,
/// which for chains of equal-time steps needs the fewest batches). A window's request (its frame, its seed
/// <see cref="SoundtrackRequest.WindowSeed"/>, context from the previous window of its shot) and hence its output do not
/// depend on the batch it ran in, so the soundtracks are bit-identical to generating them one window at a time.
/// </summary>
public sealed partial class EchoGenerator
{
    /// <summary>Most windows in one engine batch when a soundtrack is generated on its own.</summary>
    public const int DefaultSoundtrackBatchSize = 8;

    /// <summary>
    /// Several soundtracks (see <see cref="GenerateSoundtrackAsync"/>) at once, their windows in engine batches of at
    /// most <paramref name="maxBatchSize"/>; result i is soundtrack i's, the same as it would be generated alone.
    /// </summary>
    public async Task<IReadOnlyList<LongEchoResult>> GenerateSoundtracksAsync(
        IReadOnlyList<SoundtrackRequest> soundtracks, int maxBatchSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(soundtracks);
        ArgumentOutOfRangeException.ThrowIfZero(soundtracks.Count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatchSize);
        var placements = new WindowPlacement[soundtracks.Count][];
        var results = new EchoResult[soundtracks.Count][];
        var shots = new List<Shot>();
        for (var s = 0; s < soundtracks.Count; s++)
        {
            ArgumentNullException.ThrowIfNull(soundtracks[s]);
            ArgumentNullException.ThrowIfNull(soundtracks[s].Template, nameof(soundtracks));
            ArgumentOutOfRangeException.ThrowIfZero(soundtracks[s].Windows.Count, nameof(soundtracks));
            placements[s] = Place(soundtracks[s].Windows);
            results[s] = new EchoResult[placements[s].Length];
            shots.AddRange(Shots(s, placements[s]));
        }

        var next = shots.Select(shot => shot.First).ToArray();
        while (true)
        {
            var batch = Enumerable.Range(0, shots.Count).Where(k => next[k] < shots[k].End)
                .OrderByDescending(k => shots[k].End - next[k]).ThenBy(k => k).Take(maxBatchSize).ToArray();
            if (batch.Length == 0)
            {
                break;
            }

            var requests = batch.Select(k =>
            {
                var (s, i) = (shots[k].Soundtrack, next[k]);
                return WindowRequest(soundtracks[s], i, placements[s][i], i == 0 ? null : results[s][i - 1]);
            }).ToArray();
            var generated = await Task.Run(() => Generate(requests, markWaveforms: false, cancellationToken), cancellationToken).ConfigureAwait(false);
            for (var j = 0; j < batch.Length; j++)
            {
                results[shots[batch[j]].Soundtrack][next[batch[j]]++] = generated[j];
            }
        }

        return [.. soundtracks.Select((soundtrack, s) => Finish(soundtrack, placements[s], results[s]))];
    }

    /// <summary>Window i of a soundtrack: its frame and seed, and the previous window's last columns if it continues it.</summary>
    private EchoRequest WindowRequest(SoundtrackRequest soundtrack, int i, WindowPlacement placement, EchoResult? previous) =>
        soundtrack.Template with
        {
            Mode = GenerationMode.ImageToAudio, Image = soundtrack.Windows[i].Image,
            Seed = SoundtrackRequest.WindowSeed(soundtrack.Template.Seed, i),
            Audio = null, KnownAudioColumns = null, LengthSamples = null,
            KnownAudioTokens = i == 0 ? soundtrack.Template.KnownAudioTokens
                : placement.ContextColumns == 0 ? null
                : Context(previous!.AudioTokens, placement.ContextColumns),
        };

    /// <summary>The shots of one soundtrack: runs of windows from one that starts afresh up to the next.</summary>
    private static IEnumerable<Shot> Shots(int soundtrack, WindowPlacement[] placements)
    {
        var first = 0;
        for (var i = 1; i <= placements.Length; i++)
        {
            if (i == placements.Length || placements[i].ContextColumns == 0)
            {
                yield return new Shot(soundtrack, first, i);
                first = i;
            }
        }
    }

    /// <summary>Windows [First, End) of soundtrack <see cref="Soundtrack"/>, each continuing the one before.</summary>
    private readonly record struct Shot(int Soundtrack, int First, int End);
}
