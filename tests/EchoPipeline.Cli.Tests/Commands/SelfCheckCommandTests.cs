using System.Xml.Linq;
using EchoPipeline.Cli.Commands;
using EchoPipeline.Testing;

namespace EchoPipeline.Cli.Tests.Commands;

public sealed class SelfCheckCommandTests
{
    [Fact]
    public void The_onnx_runtime_line_gives_the_pinned_package_version_and_the_cpu_provider()
    {
        var pinned = XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == "Microsoft.ML.OnnxRuntime")
            .Attribute("Version")!.Value;

        var (ok, detail) = SelfCheckCommand.OrtVersion();

        Assert.True(ok, detail);
        Assert.StartsWith($"{pinned}; ", detail, StringComparison.Ordinal);
        Assert.Contains("CPUExecutionProvider", detail, StringComparison.Ordinal);
    }
}
