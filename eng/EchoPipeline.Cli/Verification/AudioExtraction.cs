using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace EchoPipeline.Cli.Verification;

/// <summary>What ffprobe said about a staged file: its demuxer, first audio stream and tags (format and stream).</summary>
internal sealed record ProbedAudio(string Demuxer, string FormatName, int StreamIndex, string Codec, int SampleRate, int Channels, double? DurationSeconds, IReadOnlyList<KeyValuePair<string, string>> Tags);

/// <summary>
/// The media boundary of `verify` (DESIGN §5), kept to what the CLI needs: the file is copied into a fresh work folder
/// under a generated name; ffprobe, limited to an allowlist of real audio/video containers and to the file and pipe
/// protocols, names the demuxer; ffmpeg, forced to that demuxer with the same protocol limit, decodes the first audio
/// stream to mono float samples at the mark's rate into another generated file. No user file name reaches ffmpeg.
/// </summary>
internal sealed class AudioExtraction : IDisposable
{
    public const long MaxBytes = 4L << 30;

    /// <summary>Playlists (HLS/DASH), ffconcat, SDP/RTP, tty text and image sequences are not on it.</summary>
    private const string FormatWhitelist = "wav,w64,flac,mp3,ogg,aac,mov,matroska,avi,mpegts,flv";

    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(2);
    private readonly string _directory = Directory.CreateTempSubdirectory("echopipe-verify-").FullName;
    private int _files;

    /// <summary>Copies <paramref name="path"/> in as <c>input-N</c>.</summary>
    public async Task<string> StageAsync(string path, CancellationToken cancellationToken)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new VerifyException(VerifyException.Codes.NotFound, "no such file.");
        }

        if (file.Length == 0)
        {
            throw new VerifyException(VerifyException.Codes.EmptyFile, "the file is empty (0 bytes).");
        }

        if (file.Length > MaxBytes)
        {
            throw new VerifyException(VerifyException.Codes.TooLarge, $"the file is {file.Length} bytes; verify reads at most {MaxBytes}.");
        }

        var staged = NewPath("input");
        try
        {
            var source = File.OpenRead(path);
            await using (source.ConfigureAwait(false))
            {
                var target = File.Create(staged);
                await using (target.ConfigureAwait(false))
                {
                    await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new VerifyException(VerifyException.Codes.NotFound, $"the file cannot be read ({ex.Message}).", ex);
        }

        return staged;
    }

    public static async Task<ProbedAudio> ProbeAsync(string staged, CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            "-v", "error", "-protocol_whitelist", "file,pipe", "-format_whitelist", FormatWhitelist,
            "-show_entries", "format=format_name,duration:format_tags:stream=index,codec_type,codec_name,sample_rate,channels:stream_tags",
            "-of", "json", "file:" + staged,
        ];
        var run = await ToolProcess.RunAsync("ffprobe", arguments, ToolTimeout, cancellationToken).ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            throw new VerifyException(VerifyException.Codes.NotMedia,
                $"ffprobe cannot read it as a sound or video file in an accepted container ({FormatWhitelist}): {Reason(run, staged)}");
        }

        using var json = JsonDocument.Parse(run.Stdout);
        var format = json.RootElement.GetProperty("format");
        var formatName = format.TryGetProperty("format_name", out var name) ? name.GetString() ?? "" : "";
        var demuxer = formatName.Split(',')[0];
        if (!FormatWhitelist.Split(',').Contains(demuxer, StringComparer.Ordinal))
        {
            throw new VerifyException(VerifyException.Codes.UnsupportedFormat, $"'{ToolProcess.Printable(formatName, 40)}' is not a container verify reads.");
        }

        var tags = new List<KeyValuePair<string, string>>();
        AddTags(format, tags);
        var audio = json.RootElement.TryGetProperty("streams", out var streams)
            ? streams.EnumerateArray().FirstOrDefault(s => s.TryGetProperty("codec_type", out var type) && type.GetString() == "audio")
            : default;
        if (audio.ValueKind != JsonValueKind.Object)
        {
            throw new VerifyException(VerifyException.Codes.NoAudioStream, $"the {demuxer} file has no audio stream.");
        }

        AddTags(audio, tags);
        return new ProbedAudio(
            demuxer, formatName, audio.GetProperty("index").GetInt32(),
            audio.TryGetProperty("codec_name", out var codec) ? codec.GetString() ?? "?" : "?",
            audio.TryGetProperty("sample_rate", out var rate) && int.TryParse(rate.GetString(), CultureInfo.InvariantCulture, out var hz) ? hz : 0,
            audio.TryGetProperty("channels", out var channels) ? channels.GetInt32() : 0,
            format.TryGetProperty("duration", out var duration) && double.TryParse(duration.GetString(), CultureInfo.InvariantCulture, out var seconds) ? seconds : null,
            tags);
    }

    /// <summary>The probed audio stream, downmixed to mono and resampled, at most <paramref name="maxSeconds"/> of it.</summary>
    public async Task<float[]> DecodeAsync(string staged, ProbedAudio probed, int sampleRate, double maxSeconds, CancellationToken cancellationToken)
    {
        var output = NewPath("samples");
        string[] arguments =
        [
            "-v", "error", "-protocol_whitelist", "file,pipe", "-f", probed.Demuxer, "-i", "file:" + staged,
            "-map", string.Create(CultureInfo.InvariantCulture, $"0:{probed.StreamIndex}"),
            "-t", maxSeconds.ToString("0.###", CultureInfo.InvariantCulture),
            "-ac", "1", "-ar", sampleRate.ToString(CultureInfo.InvariantCulture), "-c:a", "pcm_f32le", "-f", "f32le", "file:" + output,
        ];
        var run = await ToolProcess.RunAsync("ffmpeg", arguments, ToolTimeout, cancellationToken).ConfigureAwait(false);
        if (run.ExitCode != 0 || !File.Exists(output))
        {
            throw new VerifyException(VerifyException.Codes.DecodeFailed, $"ffmpeg could not decode the {ToolProcess.Printable(probed.Codec, 30)} audio: {Reason(run, staged)}");
        }

        var bytes = await File.ReadAllBytesAsync(output, cancellationToken).ConfigureAwait(false);
        File.Delete(output);
        return MemoryMarshal.Cast<byte, float>(bytes.AsSpan(0, bytes.Length - (bytes.Length % sizeof(float)))).ToArray();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    /// <summary>FFmpeg's last complaint, naming "the file" instead of the staged path nobody asked about.</summary>
    private static string Reason(ToolProcess.Result run, string staged) =>
        ToolProcess.LastLine(run.StderrTail.Replace("file:" + staged, "the file", StringComparison.Ordinal).Replace(staged, "the file", StringComparison.Ordinal));

    private string NewPath(string stem) => Path.Combine(_directory, $"{stem}-{Interlocked.Increment(ref _files)}");

    private static void AddTags(JsonElement element, List<KeyValuePair<string, string>> tags)
    {
        if (element.TryGetProperty("tags", out var values) && values.ValueKind == JsonValueKind.Object)
        {
            tags.AddRange(values.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.ToString())));
        }
    }
}
