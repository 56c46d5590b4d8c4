using EchoPipeline.Media;

namespace EchoPipeline.Cli.Scoring;

/// <summary>
/// The CLI's view of local files through EchoPipeline.Media: the same probe, limits and frame extraction as the
/// ingest function, so `score` on a file sees exactly the frames a job made from the same upload would.
/// </summary>
internal sealed class LocalMedia
{
    private readonly MediaProbe _probe;
    private readonly MiddleFrameExtractor _frames;
    private readonly FramePngEncoder _png;
    private readonly AudioDecoder _audio;

    public LocalMedia(MediaOptions? options = null)
    {
        var runner = new FfmpegRunner(options ?? new MediaOptions());
        (_probe, _frames, _png, _audio) = (new MediaProbe(runner), new MiddleFrameExtractor(runner), new FramePngEncoder(runner), new AudioDecoder(runner));
    }

    /// <summary>One 256x256 rgb24 frame per ~9.85 s window (a still image or short video gives one).</summary>
    public async Task<IReadOnlyList<byte[]>> ReadFramesAsync(string path, CancellationToken cancellationToken)
    {
        var info = await _probe.ProbeAsync(path, cancellationToken);
        var frames = new List<byte[]>();
        foreach (var segment in SegmentPlanner.Plan(info))
        {
            var frame = await _frames.ExtractAtAsync(info, segment.FrameTime, cancellationToken);
            frames.Add(frame.Rgb24.ToArray());
        }

        return frames;
    }

    public Task<float[]> ReadAudioAsync(string path, int sampleRate, double maxSeconds, CancellationToken cancellationToken) =>
        _audio.DecodeMonoAsync(path, sampleRate, maxSeconds, cancellationToken);

    public async Task WritePngAsync(byte[] rgb24, string path, CancellationToken cancellationToken) =>
        await File.WriteAllBytesAsync(path, await _png.EncodeAsync(new Frame(rgb24, TimeSpan.Zero), cancellationToken), cancellationToken);
}
