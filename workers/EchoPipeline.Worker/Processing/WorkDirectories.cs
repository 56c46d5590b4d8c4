using System.Diagnostics;
using System.Globalization;
using EchoPipeline.Jobs;

namespace EchoPipeline.Worker.Processing;

/// <summary>
/// A job's scratch folder (source video, scored files), named after the process that owns it. The job deletes it
/// on every exit path it sees; a killed process cannot, so each worker at start-up deletes the folders whose owner
/// is no longer running (workers sharing a machine leave each other's live folders alone).
/// </summary>
internal static class WorkDirectories
{
    private const string Prefix = "echo-worker-";

    public static string Create(string root, JobId id) =>
        Directory.CreateDirectory(Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Environment.ProcessId}-{id}-{Guid.NewGuid():N}"))).FullName;

    /// <summary>Deletes the folders in <paramref name="root"/> left by processes that have exited; returns how many.</summary>
    public static int DeleteOrphans(string root)
    {
        if (!Directory.Exists(root))
        {
            return 0;
        }

        var deleted = 0;
        foreach (var folder in Directory.EnumerateDirectories(root, Prefix + "*"))
        {
            var name = Path.GetFileName(folder);
            var dash = name.IndexOf('-', Prefix.Length);
            if (dash < 0 || !int.TryParse(name.AsSpan(Prefix.Length, dash - Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || IsRunning(pid))
            {
                continue;
            }

            try
            {
                Directory.Delete(folder, recursive: true);
                deleted++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another worker is sweeping the same folder, or it is not ours to delete.
            }
        }

        return deleted;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
