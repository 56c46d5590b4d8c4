using EchoPipeline.Functions.Hosting;

namespace EchoPipeline.Functions.Tests.Hosting;

/// <summary>FFmpeg shipped in the package runs even when the package lost its execute bits (Flex Consumption mounts it read-only).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PackagedToolsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("echo-packaged-tools-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_tool_without_execute_bits_is_copied_to_scratch_and_made_executable()
    {
        var package = Directory.CreateDirectory(Path.Combine(_folder, "wwwroot")).FullName;
        var tool = Path.Combine(package, "ffprobe");
        File.Copy(Which("ffprobe"), tool);
        File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var runnable = PackagedTools.Executable(tool, Path.Combine(_folder, "scratch"));

        Assert.NotEqual(tool, runnable);
        Assert.Equal(File.ReadAllBytes(tool), File.ReadAllBytes(runnable));
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(runnable, "-version") { RedirectStandardOutput = true })!;
        Assert.StartsWith("ffprobe version", process.StandardOutput.ReadLine(), StringComparison.Ordinal);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public void An_executable_tool_a_bare_name_and_a_missing_file_are_left_as_they_are()
    {
        var scratch = Path.Combine(_folder, "scratch");
        var missing = Path.Combine(_folder, "nothing-here");

        Assert.Equal(Which("ffmpeg"), PackagedTools.Executable(Which("ffmpeg"), scratch));
        Assert.Equal("ffmpeg", PackagedTools.Executable("ffmpeg", scratch));
        Assert.Equal(missing, PackagedTools.Executable(missing, scratch));
        Assert.False(Directory.Exists(scratch));
    }

    private static string Which(string tool) =>
        Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(d => Path.Combine(d, tool)).First(File.Exists);
}
