using EchoPipeline.Media;

namespace EchoPipeline.Functions.Hosting;

/// <summary>
/// FFmpeg travels in the deployment package (Flex Consumption runs no containers). The package is mounted read-only,
/// and a package zipped where Unix modes are not kept (Windows) has lost the execute bit, so a tool that cannot be run
/// as it lies is copied to a scratch folder and marked executable there; the options then point at the copy.
/// </summary>
internal static class PackagedTools
{
    private const UnixFileMode ExecutableByAnyone = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public static void MakeExecutable(MediaOptions options, string scratchDirectory)
    {
        options.FfmpegPath = Executable(options.FfmpegPath, scratchDirectory);
        options.FfprobePath = Executable(options.FfprobePath, scratchDirectory);
    }

    /// <summary>
    /// <paramref name="path"/> itself when it can be run by anyone, or is a bare name found on PATH, or is missing (the
    /// media layer reports that with the setting's name); otherwise an executable copy in <paramref name="scratchDirectory"/>.
    /// </summary>
    public static string Executable(string path, string scratchDirectory)
    {
        if (OperatingSystem.IsWindows() || !Path.IsPathRooted(path) || !File.Exists(path)
            || (File.GetUnixFileMode(path) & ExecutableByAnyone) == ExecutableByAnyone)
        {
            return path;
        }

        Directory.CreateDirectory(scratchDirectory);
        var copy = Path.Combine(scratchDirectory, Path.GetFileName(path));
        File.Copy(path, copy, overwrite: true);
        File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return copy;
    }
}
