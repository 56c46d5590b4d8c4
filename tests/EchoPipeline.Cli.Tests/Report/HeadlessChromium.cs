using System.Diagnostics;

namespace EchoPipeline.Cli.Tests.Report;

/// <summary>Debian's chromium (installed by eng/bootstrap.sh --browser) run headless against a local file, nothing from the network.</summary>
internal static class HeadlessChromium
{
    /// <summary>The DOM after the page's scripts ran for up to <paramref name="virtualTimeMs"/> of virtual time.</summary>
    public static Task<string> DumpDomAsync(string htmlFile, int virtualTimeMs = 5000) =>
        RunAsync([$"--virtual-time-budget={virtualTimeMs}", "--dump-dom", new Uri(htmlFile).AbsoluteUri]);

    public static Task<string> ScreenshotAsync(string htmlFile, string pngFile) =>
        RunAsync(["--hide-scrollbars", "--window-size=1600,1200", "--virtual-time-budget=3000", $"--screenshot={pngFile}", new Uri(htmlFile).AbsoluteUri]);

    private static async Task<string> RunAsync(string[] arguments)
    {
        var profile = Directory.CreateTempSubdirectory("echopipe-chromium-").FullName;
        var start = new ProcessStartInfo("chromium") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--mute-audio", $"--user-data-dir={profile}", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {await stderr}");
            return await stdout;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("chromium is not installed: run eng/bootstrap.sh --browser (apt package chromium).");
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
