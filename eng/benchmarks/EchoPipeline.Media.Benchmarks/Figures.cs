using System.Diagnostics;
using System.Globalization;

namespace EchoPipeline.Media.Benchmarks;

/// <summary>The "name: value" lines the benchmarks print.</summary>
internal static class Figures
{
    public static void Print(string name, object value) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {(value is double d ? d.ToString("0.###", CultureInfo.InvariantCulture) : value)}"));

    public static string FfmpegVersion()
    {
        using var process = Process.Start(new ProcessStartInfo("ffmpeg", "-version") { RedirectStandardOutput = true })!;
        var first = process.StandardOutput.ReadLine() ?? "unknown";
        process.WaitForExit();
        return first;
    }
}
