using EchoPipeline.Infra.Tests.Support;

namespace EchoPipeline.Infra.Tests;

/// <summary>infra/ type-checked against the Azure resource types by the Bicep CLI: it compiles and lints clean.</summary>
public sealed class BicepTests
{
    [Fact]
    public void Main_bicep_builds_without_a_warning()
    {
        var (exitCode, _, diagnostics) = BicepCli.Run("build", InfraFiles.Path("infra", "main.bicep"), "--stdout");

        Assert.True(exitCode == 0 && diagnostics.Trim().Length == 0, diagnostics);
    }

    [Fact]
    public void Main_bicep_lints_without_a_warning()
    {
        var (exitCode, output, diagnostics) = BicepCli.Run("lint", InfraFiles.Path("infra", "main.bicep"));

        Assert.True(exitCode == 0 && (output + diagnostics).Trim().Length == 0, output + diagnostics);
    }

    [Fact]
    public void A_property_the_resource_type_does_not_have_is_reported()
    {
        var folder = Directory.CreateTempSubdirectory("echo-bicep-").FullName;
        try
        {
            var registry = Path.Combine(folder, "registry.bicep");
            File.WriteAllText(registry, InfraFiles.Read("infra", "app", "registry.bicep")
                .Replace("adminUserEnabled: false", "adminUserEnabled: false\n    anonymousPullEnabled: false", StringComparison.Ordinal));

            var (_, _, diagnostics) = BicepCli.Run("build", registry, "--stdout");

            Assert.Contains("BCP037", diagnostics, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
