using EchoPipeline.Engine.Generation.Continuation;
using EchoPipeline.Media;

namespace EchoPipeline.Cli.Scoring;

/// <summary>
/// The CLI's view of local files through EchoPipeline.Media: the same staging, probe, limits and frame extraction as
/// the ingest function, so `score` on a file sees exactly the frames a job made from the same upload would.
/// </summary>
internal sealed class LocalMedia
{
    /// <summary>
    /// FFmpeg processes extracting a video's frames at once: each is mostly start-up, seek and one decode, which
    /// overlap well; more than a few per core only queue for the CPU.
    /// </summary>
    private static readonly int FrameConcurrency = Math.Clamp(2 * Environment.ProcessorCount, 2, 8);

    private readonly MediaTools _tools;

    public LocalMedia(MediaOptions? options = null) => _tools = new MediaTools(options ?? new MediaOptions());

    /// <summary>One 256x256 rgb24 frame per window (a still image or short video gives one).</summary>
    public async Task<IReadOnlyList<byte[]>> ReadFramesAsync(string path, CancellationToken cancellationToken) =>
        [.. (await ReadWindowsAsync(path, SegmentPlanner.SampleRate, cancellationToken)).Windows.Select(w => w.Image)];

    /// <summary>
    /// The soundtrack windows of a video or picture, planned at its cuts as the ingest plans them, and the length of
    /// the video in samples at <paramref name="sampleRate"/> (null for a still image: its sound is one window).
    /// </summary>
    public async Task<(IReadOnlyList<SoundtrackWindow> Windows, long? LengthSamples)> ReadWindowsAsync(string path, int sampleRate, CancellationToken cancellationToken)
    {
        using var workspace = _tools.CreateWorkspace();
        var info = await new MediaProbe(_tools).ProbeAsync(await workspace.CopyInAsync(path, cancellationToken), cancellationToken);
        var cuts = await new ShotDetector(_tools).DetectCutsAsync(info, cancellationToken);
        var segments = SegmentPlanner.Plan(info, cuts);
        var frames = await new MiddleFrameExtractor(_tools).ExtractAllAsync(info, [.. segments.Select(s => s.FrameTime)], FrameConcurrency, cancellationToken);
        var windows = segments.Select((segment, i) =>
            new SoundtrackWindow(frames[i].Rgb24.ToArray(), (long)Math.Round(segment.StartSeconds * sampleRate), segment.StartsShot)).ToList();

        var length = !info.IsStillImage && info.DurationSeconds is > 0 and var seconds ? Math.Max(1, (long)Math.Round(seconds * sampleRate)) : (long?)null;
        return (windows, length);
    }

    public async Task<float[]> ReadAudioAsync(string path, int sampleRate, double maxSeconds, CancellationToken cancellationToken) =>
        (await DecodeAudioAsync(path, sampleRate, maxSeconds, cancellationToken)).Samples;

    /// <summary>The first audio stream as mono samples at <paramref name="sampleRate"/>, with ffprobe's facts and tags.</summary>
    public async Task<DecodedAudio> DecodeAudioAsync(string path, int sampleRate, double maxSeconds, CancellationToken cancellationToken)
    {
        using var workspace = _tools.CreateWorkspace();
        return await new AudioDecoder(_tools).DecodeAsync(await workspace.CopyInAsync(path, cancellationToken), sampleRate, maxSeconds, cancellationToken);
    }

    /// <summary>Watermark verification of a local file, staged like any other (EchoPipeline.Media's <see cref="AudioVerifier"/>).</summary>
    public async Task<AudioVerification> VerifyAsync(string path, IReadOnlyList<EchoPipeline.Provenance.Watermarking.WatermarkKey> keys, double maxSeconds, CancellationToken cancellationToken)
    {
        using var workspace = _tools.CreateWorkspace();
        return await new AudioVerifier(new AudioDecoder(_tools)).VerifyAsync(await workspace.CopyInAsync(path, cancellationToken), keys, maxSeconds, cancellationToken);
    }

    public static Task WritePngAsync(byte[] rgb24, string path, CancellationToken cancellationToken) =>
        File.WriteAllBytesAsync(path, FramePng.Encode(new Frame(rgb24, TimeSpan.Zero)), cancellationToken);
}
