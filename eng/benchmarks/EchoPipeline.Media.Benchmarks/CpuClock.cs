using System.Runtime.InteropServices;

namespace EchoPipeline.Media.Benchmarks;

/// <summary>
/// CPU time (user + system) of this process and of the child processes it has waited for (the ffmpeg runs), from
/// getrusage(2): a per-job figure that counts the work wherever it runs, unlike wall time on a shared machine.
/// </summary>
internal static partial class CpuClock
{
    private const int Self = 0, Children = -1;

    public static TimeSpan Now() => Read(Self) + Read(Children);

    private static TimeSpan Read(int who)
    {
        if (GetRusage(who, out var usage) != 0)
        {
            throw new InvalidOperationException($"getrusage failed ({Marshal.GetLastPInvokeError()}).");
        }

        var microseconds = ((usage.UserSeconds + usage.SystemSeconds) * 1_000_000) + usage.UserMicroseconds + usage.SystemMicroseconds;
        return TimeSpan.FromMicroseconds(microseconds);
    }

    [DllImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int GetRusage(int who, out Rusage usage);

    /// <summary>struct rusage on 64-bit Linux: two timevals, then 14 longs this benchmark does not read.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 18 * sizeof(long))]
    private struct Rusage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
    }
}
