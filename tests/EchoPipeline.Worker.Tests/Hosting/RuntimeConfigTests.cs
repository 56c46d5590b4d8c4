using System.Text.Json.Nodes;

namespace EchoPipeline.Worker.Tests.Hosting;

/// <summary>The worker's built runtimeconfig.json, which the container image and the local pipeline run it with.</summary>
public sealed class RuntimeConfigTests
{
    [Fact]
    public void The_built_worker_compiles_every_method_optimized_at_its_first_call()
    {
        // Copied beside this assembly from the worker's build output (it is a referenced executable project).
        var path = Path.Combine(AppContext.BaseDirectory, "EchoPipeline.Worker.runtimeconfig.json");
        var properties = JsonNode.Parse(File.ReadAllText(path))!["runtimeOptions"]!["configProperties"]!;

        Assert.False(properties["System.Runtime.TieredCompilation"]!.GetValue<bool>());
    }
}
