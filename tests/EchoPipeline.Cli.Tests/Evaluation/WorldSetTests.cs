using EchoPipeline.Cli.Evaluation;

namespace EchoPipeline.Cli.Tests.Evaluation;

public sealed class WorldSetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("echopipe-worldset-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Write(string samples)
    {
        File.WriteAllBytes(Path.Combine(_dir, "a.png"), [1]);
        File.WriteAllBytes(Path.Combine(_dir, "a.flac"), [1]);
        File.WriteAllText(Path.Combine(_dir, "labels.json"), $$"""{"samples": [{{samples}}]}""");
    }

    [Fact]
    public void Reads_samples_with_paths_relative_to_the_folder()
    {
        Write("""{"name": "a", "image": "a.png", "audio": "a.flac", "label": 3, "pattern": "pulsed"}""");

        var sample = Assert.Single(WorldSet.Load(_dir));

        Assert.Equal(new WorldSample("a", Path.Combine(_dir, "a.png"), Path.Combine(_dir, "a.flac"), 3, SoundPattern.Pulsed), sample);
    }

    [Theory]
    [InlineData("""{"name": "a", "image": "a.png", "audio": "a.flac", "label": 8, "pattern": "steady"}""", "samples[0].label")]
    [InlineData("""{"name": "a", "image": "a.png", "audio": "a.flac", "label": 1, "pattern": "loud"}""", "samples[0].pattern")]
    [InlineData("""{"name": "a", "image": "b.png", "audio": "a.flac", "label": 1, "pattern": "noise"}""", "b.png")]
    [InlineData("""{"image": "a.png", "audio": "a.flac", "label": 1, "pattern": "noise"}""", "samples[0].name")]
    public void Bad_entries_are_named_in_the_error(string entry, string expected)
    {
        Write(entry);

        var error = Assert.Throws<InvalidDataException>(() => WorldSet.Load(_dir));

        Assert.Contains("labels.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
