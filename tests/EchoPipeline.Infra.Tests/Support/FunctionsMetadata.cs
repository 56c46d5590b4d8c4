using System.Text.Json.Nodes;
using EchoPipeline.Testing;

namespace EchoPipeline.Infra.Tests.Support;

/// <summary>The Functions app's functions.metadata from its build in this configuration: what the host will index.</summary>
internal static class FunctionsMetadata
{
    private static readonly Lazy<IReadOnlyList<JsonObject>> LazyFunctions = new(Read);

    public static IReadOnlyList<JsonObject> Functions => LazyFunctions.Value;

    /// <summary>The blob-triggered functions with their trigger binding.</summary>
    public static IEnumerable<(string Name, JsonObject Trigger)> BlobTriggers() =>
        from f in Functions
        from b in f["bindings"]!.AsArray()
        where b!["type"]!.GetValue<string>() == "blobTrigger"
        select (f["name"]!.GetValue<string>(), b!.AsObject());

    private static List<JsonObject> Read()
    {
        var tests = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)); // .../bin/{Configuration}/net10.0
        var path = Path.Combine(RepoPaths.Root, "functions", "EchoPipeline.Functions", "bin", tests.Parent!.Name, tests.Name, "functions.metadata");
        Assert.True(File.Exists(path), $"{path} is missing: build functions/EchoPipeline.Functions.");
        return [.. JsonNode.Parse(File.ReadAllText(path))!.AsArray().Select(f => f!.AsObject())];
    }
}
