using System.Globalization;
using System.Text.Json;
using EchoPipeline.Cli.Scoring;
using EchoPipeline.Engine.Audio;
using EchoPipeline.Engine.Generation;
using EchoPipeline.Engine.Generation.Watermarking;

namespace EchoPipeline.Cli.WatermarkBench;

/// <summary>One unmarked clip the engine generated, and the engine's wall time per clip in its batch.</summary>
internal sealed record BenchClip(string Name, float[] Samples, double EngineMs);

/// <summary>
/// The benchmark's originals: the engine's own outputs, generated with the mark off (so the benchmark can add the
/// mark itself and keep the unmarked original), one per (picture, seed) for the demo bundle's held-out pictures and
/// the sample images. Cached as WAV files in the output folder with a manifest of the engine times, so a second run
/// measures without generating again.
/// </summary>
internal static class BenchClips
{
    private const string ManifestName = "clips.json";

    public static async Task<IReadOnlyList<BenchClip>> LoadOrGenerateAsync(
        string bundlePath, string folder, int count, int batch, TextWriter progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var manifestPath = Path.Combine(folder, ManifestName);
        var known = File.Exists(manifestPath)
            ? JsonSerializer.Deserialize<Dictionary<string, double>>(await File.ReadAllTextAsync(manifestPath, cancellationToken)) ?? []
            : [];
        var plan = Plan(count);
        var missing = plan.Where(p => !known.ContainsKey(p.Name) || !File.Exists(Path.Combine(folder, p.Name + ".wav"))).ToArray();
        if (missing.Length > 0)
        {
            using var model = EchoModel.Load(bundlePath, cancellationToken: cancellationToken);
            var generator = new EchoGenerator(model, watermark: WatermarkPolicy.Off);
            var media = new LocalMedia();
            var frames = new Dictionary<string, byte[]>();
            foreach (var chunk in missing.Chunk(batch))
            {
                var requests = new List<EchoRequest>();
                foreach (var item in chunk)
                {
                    if (!frames.TryGetValue(item.Picture, out var frame))
                    {
                        frame = frames[item.Picture] = (await media.ReadFramesAsync(item.Picture, cancellationToken))[0];
                    }

                    requests.Add(new EchoRequest { Image = frame, Seed = item.Seed });
                }

                var results = await generator.GenerateAsync(requests, cancellationToken);
                for (var i = 0; i < chunk.Length; i++)
                {
                    var result = results[i];
                    await File.WriteAllBytesAsync(Path.Combine(folder, chunk[i].Name + ".wav"), WavWriter.Encode(result.Waveform, result.SampleRate, result.Provenance.ToWavInfo()), cancellationToken);
                    known[chunk[i].Name] = result.Timings.Total.TotalMilliseconds / result.Timings.BatchSize;
                }

                await File.WriteAllTextAsync(manifestPath, JsonSerializer.Serialize(known), cancellationToken);
                await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"generated {known.Count(k => plan.Any(p => p.Name == k.Key))}/{plan.Length} clips"));
            }
        }

        var clips = new List<BenchClip>();
        foreach (var item in plan)
        {
            var wav = WavReader.Decode(await File.ReadAllBytesAsync(Path.Combine(folder, item.Name + ".wav"), cancellationToken));
            clips.Add(new BenchClip(item.Name, wav.Samples, known[item.Name]));
        }

        return clips;
    }

    /// <summary>Pictures in a fixed order, each with seeds 1, 2, ... until <paramref name="count"/> clips.</summary>
    private static (string Name, string Picture, long Seed)[] Plan(int count)
    {
        var pictures = Directory.GetFiles(Path.Combine(RepoLayout.Root, "models", "echo-demo", "eval"), "*.png")
            .Concat(Directory.GetFiles(Path.Combine(RepoLayout.Root, "samples", "images"), "*.png"))
            .Order(StringComparer.Ordinal).ToArray();
        return Enumerable.Range(0, count)
            .Select(i => (Picture: pictures[i % pictures.Length], Seed: 1L + (i / pictures.Length)))
            .Select(p => (string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileNameWithoutExtension(p.Picture)}-s{p.Seed}"), p.Picture, p.Seed))
            .ToArray();
    }
}
