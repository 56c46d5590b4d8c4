using System.Text.Json;

namespace EchoPipeline.Cli.Evaluation;

/// <summary>One held-out world sample: an image and its sound, with the class and pattern they were drawn from.</summary>
internal sealed record WorldSample(string Name, string ImagePath, string AudioPath, int Label, SoundPattern Pattern);

/// <summary>
/// The evaluation set a bundle ships (models/echo-demo/eval/labels.json, written by tools/train_demo_bundle.py):
/// {"samples": [{"name", "image", "audio", "label", "pattern"}, ...]} with paths relative to the folder.
/// </summary>
internal static class WorldSet
{
    public static IReadOnlyList<WorldSample> Load(string folder)
    {
        var path = Path.Combine(folder, "labels.json");
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path}: not found (an evaluation set is a folder with labels.json, images and audio).");
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        if (!document.RootElement.TryGetProperty("samples", out var samples) || samples.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{path}: 'samples' must be an array.");
        }

        return [.. samples.EnumerateArray().Select((entry, i) => Parse(entry, i, folder, path))];
    }

    private static WorldSample Parse(JsonElement entry, int index, string folder, string path)
    {
        string Text(string field) =>
            entry.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s
                ? s
                : throw new InvalidDataException($"{path}: samples[{index}].{field} must be a non-empty string.");

        var label = entry.TryGetProperty("label", out var l) && l.TryGetInt32(out var k) && k is >= 0 and < WorldBands.Count
            ? k
            : throw new InvalidDataException($"{path}: samples[{index}].label must be an integer 0..{WorldBands.Count - 1}.");
        var pattern = Enum.TryParse<SoundPattern>(Text("pattern"), ignoreCase: true, out var p)
            ? p
            : throw new InvalidDataException($"{path}: samples[{index}].pattern must be steady, pulsed or noise; got '{Text("pattern")}'.");
        var files = (Image: Path.Combine(folder, Text("image")), Audio: Path.Combine(folder, Text("audio")));
        foreach (var file in new[] { files.Image, files.Audio })
        {
            if (!File.Exists(file))
            {
                throw new InvalidDataException($"{path}: samples[{index}] names {file}, which does not exist.");
            }
        }

        return new WorldSample(Text("name"), files.Image, files.Audio, label, pattern);
    }
}
