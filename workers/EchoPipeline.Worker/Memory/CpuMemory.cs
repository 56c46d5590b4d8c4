using System.Globalization;

namespace EchoPipeline.Worker.Memory;

/// <summary>Free memory for sessions on the CPU: the smaller of the kernel's estimate and what the runtime may still use.</summary>
internal static class CpuMemory
{
    private const string MemInfo = "/proc/meminfo";

    /// <summary>
    /// min(MemAvailable of /proc/meminfo, the runtime's memory limit (the container's, else the machine's) minus this
    /// process's working set); the limit alone where /proc/meminfo cannot be read.
    /// </summary>
    public static long FreeBytes()
    {
        var limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes - Environment.WorkingSet;
        return MemAvailable(MemInfo) is { } available ? Math.Min(available, limit) : limit;
    }

    /// <summary>The <c>MemAvailable:</c> line of a meminfo file, in bytes; null when the file or the line is missing.</summary>
    public static long? MemAvailable(string path)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts is ["MemAvailable:", var value, "kB"] && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
                {
                    return kib * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return null;
    }
}
