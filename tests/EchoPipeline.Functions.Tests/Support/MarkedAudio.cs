using System.Diagnostics;
using System.Runtime.InteropServices;
using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Functions.Tests.Support;

/// <summary>
/// Real audio files for VerifyAudio: 6 s of a chord over pink-ish noise at 22050 Hz, marked by the engine's embedder
/// (or left unmarked), written by ffmpeg as PCM WAV with the comment a generated file carries, or re-encoded.
/// </summary>
public sealed class MarkedAudio : IDisposable
{
    public const string Comment = "ai_generated=true bundle=verify-test watermark=echo-wm/1";

    private static readonly string[] Quiet = ["-nostdin", "-y", "-loglevel", "error"];

    private readonly string _folder = Directory.CreateTempSubdirectory("echo-functions-verify-").FullName;

    /// <summary>The sound before marking: deterministic (fixed seed).</summary>
    public static float[] Original()
    {
        const int rate = WatermarkScheme.SampleRate;
        var random = new Random(19);
        var samples = new float[6 * rate];
        double smooth = 0;
        for (var n = 0; n < samples.Length; n++)
        {
            smooth = (0.9 * smooth) + (0.1 * ((random.NextDouble() * 2) - 1));
            var t = (double)n / rate;
            samples[n] = (float)((0.15 * Math.Sin(2 * Math.PI * 330 * t)) + (0.1 * Math.Sin(2 * Math.PI * 495 * t)) + (0.3 * smooth));
        }

        return samples;
    }

    /// <summary>A PCM16 WAV of <see cref="Original"/> marked with <paramref name="key"/> and <paramref name="payload"/>, or unmarked when <paramref name="key"/> is null.</summary>
    public string Wav(string name, WatermarkKey? key, WatermarkPayload payload) =>
        Encode(name, key is null ? Original() : WatermarkEmbedder.Embed(Original(), key, payload, out _), ["-c:a", "pcm_s16le", "-metadata", $"comment={Comment}"]);

    /// <summary>The marked sound re-encoded as AAC 96 kb/s at 44.1 kHz in an M4A.</summary>
    public string M4a(string name, WatermarkKey key, WatermarkPayload payload) =>
        Encode(name, WatermarkEmbedder.Embed(Original(), key, payload, out _), ["-c:a", "aac", "-b:a", "96k", "-ar", "44100"]);

    /// <summary>A file made by ffmpeg from a lavfi source (a short blip, a silent video).</summary>
    public string Lavfi(string name, params string[] arguments)
    {
        var path = Path.Combine(_folder, name);
        Ffmpeg([.. arguments, path]);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Encode(string name, float[] samples, string[] codec)
    {
        var raw = Path.Combine(_folder, name + ".f32");
        File.WriteAllBytes(raw, MemoryMarshal.AsBytes(samples.AsSpan()).ToArray());
        var path = Path.Combine(_folder, name);
        Ffmpeg(["-f", "f32le", "-ar", WatermarkScheme.SampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture), "-ac", "1", "-i", raw, .. codec, path]);
        File.Delete(raw);
        return path;
    }

    private static void Ffmpeg(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in Quiet.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"ffmpeg failed: {stderr}");
    }
}
