using System.Globalization;
using System.Runtime.InteropServices;
using EchoPipeline.Cli.Verification;
using EchoPipeline.Engine.Audio;
using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Cli.WatermarkBench;

/// <summary>An edit a marked file may go through before someone verifies it; returns what verification decodes.</summary>
internal sealed record Attack(string Name, Func<float[], Random, string, CancellationToken, Task<float[]>> Apply);

/// <summary>
/// The issue's edits. Codecs, resampling and muxing run through real FFmpeg on a PCM16 WAV and are decoded back to mono
/// float at the mark's rate (what `verify` does); trimming, shifting, gain and noise are exact sample operations on the
/// PCM16 signal (gain clips at full scale, as a 16-bit file would).
/// </summary>
internal static class Attacks
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private const int Rate = WatermarkScheme.SampleRate;

    public static IReadOnlyList<Attack> All { get; } =
    [
        new("none", (x, _, dir, ct) => Codec(x, dir, [], ".wav", ct)),
        new("aac_96k", (x, _, dir, ct) => Codec(x, dir, ["-c:a", "aac", "-b:a", "96k"], ".m4a", ct)),
        new("mp3_64k", (x, _, dir, ct) => Codec(x, dir, ["-c:a", "libmp3lame", "-b:a", "64k"], ".mp3", ct)),
        new("resample_44k1", (x, _, dir, ct) => Codec(x, dir, ["-ar", "44100"], ".wav", ct)),
        new("resample_48k", (x, _, dir, ct) => Codec(x, dir, ["-ar", "48000"], ".wav", ct)),
        new("resample_16k", (x, _, dir, ct) => Codec(x, dir, ["-ar", "16000"], ".wav", ct)),
        new("trim_3s", (x, random, _, _) => Task.FromResult(x.AsSpan(random.Next(x.Length - (3 * Rate)), 3 * Rate).ToArray())),
        new("time_shift", (x, random, _, _) => Task.FromResult(Shift(x, random))),
        // Not in the issue's list: an edit in a 44.1 kHz tool that cuts at an odd sample shifts the mark by half a sample.
        new("time_shift_half_sample", (x, random, dir, ct) => Codec(x, dir, ["-af", $"aresample=44100,atrim=start_sample={(2 * random.Next(1, Rate)) + 1}"], ".wav", ct)),
        new("gain_minus_6db", (x, _, _, _) => Task.FromResult(Gain(x, -6))),
        new("gain_plus_6db", (x, _, _, _) => Task.FromResult(Gain(x, 6))),
        new("noise_20db", (x, random, _, _) => Task.FromResult(Noise(x, 20, random))),
        new("mp4_mux", (x, _, dir, ct) => Mux(x, dir, ct)),
    ];

    /// <summary>Drops up to a second from the start and puts up to a second of silence before the rest (any sample offset).</summary>
    private static float[] Shift(float[] x, Random random)
    {
        var (cut, pad) = (random.Next(1, Rate), random.Next(1, Rate));
        return [.. new float[pad], .. x.AsSpan(cut)];
    }

    private static float[] Gain(float[] x, double db)
    {
        var gain = (float)Math.Pow(10, db / 20);
        return [.. x.Select(s => Pcm16(s * gain))];
    }

    private static float[] Noise(float[] x, double snrDb, Random random)
    {
        var rms = Math.Sqrt(x.Average(s => (double)s * s)) * Math.Pow(10, -snrDb / 20);
        return [.. x.Select(s => Pcm16((float)(s + (rms * Gaussian(random)))))];
    }

    private static float Pcm16(float x) => MathF.Round(Math.Clamp(x, -1f, 1f) * 32767f) / 32767f;

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>WAV in, FFmpeg with <paramref name="encode"/> into a file of <paramref name="extension"/>, decoded back.</summary>
    private static async Task<float[]> Codec(float[] x, string directory, string[] encode, string extension, CancellationToken cancellationToken)
    {
        var (input, output) = (Path.Combine(directory, "marked.wav"), Path.Combine(directory, "edited" + extension));
        await File.WriteAllBytesAsync(input, WavWriter.Encode(x, Rate), cancellationToken);
        await Run("ffmpeg", ["-v", "error", "-y", "-i", "file:" + input, .. encode, "file:" + output], cancellationToken);
        return await Decode(output, cancellationToken);
    }

    /// <summary>
    /// What the worker's soundtrack muxer did at f331fd3 (SoundtrackMuxer): a video stream copied, the audio
    /// loudness-normalised (loudnorm to -16 LUFS), padded, AAC 192 kb/s at 48 kHz, in MP4.
    /// </summary>
    private static async Task<float[]> Mux(float[] x, string directory, CancellationToken cancellationToken)
    {
        var (audio, video, output) = (Path.Combine(directory, "marked.wav"), Path.Combine(directory, "video.mp4"), Path.Combine(directory, "scored.mp4"));
        await File.WriteAllBytesAsync(audio, WavWriter.Encode(x, Rate), cancellationToken);
        var seconds = ((double)x.Length / Rate).ToString("0.###", CultureInfo.InvariantCulture);
        await Run("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=size=128x96:rate=10:duration={seconds}", "-c:v", "mpeg4", "file:" + video], cancellationToken);
        await Run("ffmpeg",
        [
            "-v", "error", "-y", "-i", "file:" + video, "-i", "file:" + audio, "-map", "0:v:0", "-map", "1:a:0", "-c:v", "copy",
            "-af", "loudnorm=I=-16:TP=-1.5:LRA=11,apad", "-c:a", "aac", "-b:a", "192k", "-ar", "48000", "-shortest",
            "-f", "mp4", "-movflags", "+faststart", "file:" + output,
        ], cancellationToken);
        return await Decode(output, cancellationToken);
    }

    private static async Task<float[]> Decode(string path, CancellationToken cancellationToken)
    {
        var run = await Run("ffmpeg", ["-v", "error", "-i", "file:" + path, "-map", "0:a:0", "-ac", "1", "-ar", Rate.ToString(CultureInfo.InvariantCulture), "-f", "f32le", "pipe:1"], cancellationToken);
        return MemoryMarshal.Cast<byte, float>(run.Stdout.AsSpan(0, run.Stdout.Length - (run.Stdout.Length % sizeof(float)))).ToArray();
    }

    private static async Task<ToolProcess.Result> Run(string tool, string[] arguments, CancellationToken cancellationToken)
    {
        var run = await ToolProcess.RunAsync(tool, arguments, Timeout, cancellationToken);
        return run.ExitCode == 0 ? run : throw new InvalidOperationException($"{tool} failed: {ToolProcess.LastLine(run.StderrTail)}");
    }
}
