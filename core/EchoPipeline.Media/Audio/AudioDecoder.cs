using System.Globalization;
using System.Runtime.InteropServices;

namespace EchoPipeline.Media;

/// <summary>
/// Decodes a staged sound file into mono float samples at the model's rate (audio-to-image): ffprobe with the sound
/// allowlist (<see cref="DemuxerAllowlist.Sounds"/>) first, then ffmpeg with the probed demuxer into a workspace file.
/// </summary>
public sealed class AudioDecoder
{
    private readonly MediaTools _tools;

    public AudioDecoder(MediaTools tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        _tools = tools;
    }

    /// <summary>The first audio stream, downmixed and resampled; at most <paramref name="maxSeconds"/> of it.</summary>
    public async Task<float[]> DecodeMonoAsync(MediaInput input, int sampleRate, double maxSeconds, CancellationToken cancellationToken = default) =>
        (await DecodeAsync(input, sampleRate, maxSeconds, cancellationToken).ConfigureAwait(false)).Samples;

    /// <summary>As <see cref="DecodeMonoAsync"/>, with what ffprobe said of the file (container, stream, tags).</summary>
    public async Task<DecodedAudio> DecodeAsync(MediaInput input, int sampleRate, double maxSeconds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSeconds);
        var analysis = await _tools.AnalyseAsync(input, DemuxerAllowlist.Sounds, cancellationToken).ConfigureAwait(false);
        var format = analysis.Format.FormatName ?? "";
        if (!DemuxerAllowlist.Sounds.Allows(format))
        {
            throw new MediaException(MediaErrorCode.UnsupportedFormat,
                $"'{input.Source}' is {DemuxerAllowlist.Describe(DemuxerAllowlist.DemuxerOf(format))}, not a sound file EchoPipeline reads.", input.Source);
        }

        if (analysis.PrimaryAudioStream is not { } audio)
        {
            throw new MediaException(MediaErrorCode.NoAudioStream, $"'{input.Source}' has no audio FFmpeg can decode.", input.Source);
        }

        var samples = input.Workspace.NewPath("samples", ".f32");
        try
        {
            await _tools.RunAsync(input.Workspace, [new ToolInput(input.Path, DemuxerAllowlist.DemuxerOf(format), input.Source)], samples,
                o => o.WithCustomArgument(string.Create(CultureInfo.InvariantCulture,
                    $"-map 0:{audio.Index} -t {maxSeconds:0.######} -ac 1 -ar {sampleRate} -c:a pcm_f32le -f f32le")),
                input.Source, cancellationToken).ConfigureAwait(false);
            var bytes = File.Exists(samples) ? await File.ReadAllBytesAsync(samples, cancellationToken).ConfigureAwait(false) : [];
            if (bytes.Length < sizeof(float))
            {
                throw new MediaException(MediaErrorCode.NoAudioStream, $"'{input.Source}' has no audio FFmpeg can decode.", input.Source);
            }

            IEnumerable<KeyValuePair<string, string>> formatTags = analysis.Format.Tags ?? new Dictionary<string, string>();
            IEnumerable<KeyValuePair<string, string>> streamTags = audio.Tags ?? new Dictionary<string, string>();
            var tags = formatTags.Concat(streamTags).OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
            return new DecodedAudio(
                MemoryMarshal.Cast<byte, float>(bytes.AsSpan(0, bytes.Length - (bytes.Length % sizeof(float)))).ToArray(),
                DemuxerAllowlist.DemuxerOf(format), audio.CodecName ?? "", audio.SampleRateHz ?? 0, audio.Channels ?? 0,
                analysis.Format.Duration > TimeSpan.Zero ? analysis.Format.Duration.TotalSeconds : null, tags);
        }
        finally
        {
            File.Delete(samples);
        }
    }
}
