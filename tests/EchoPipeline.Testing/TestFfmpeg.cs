using System.Diagnostics;

namespace EchoPipeline.Testing;

/// <summary>Makes test media with the real ffmpeg (lavfi sources, re-encodings); a failure carries ffmpeg's own words.</summary>
public static class TestFfmpeg
{
    /// <summary>Runs <c>ffmpeg -v error -y ARGUMENTS file:OUTPUT</c> and returns <paramref name="output"/>.</summary>
    /// <exception cref="InvalidOperationException">ffmpeg exited non-zero.</exception>
    public static async Task<string> WriteAsync(string output, params string[] arguments)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        // file: keeps a name that starts with a dash or holds a colon from reading as an option or a protocol.
        foreach (var argument in (string[])["-v", "error", "-y", .. arguments, "file:" + output])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"ffmpeg could not write {output}: {stderr}");
    }
}
