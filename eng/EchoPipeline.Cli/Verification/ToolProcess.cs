using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace EchoPipeline.Cli.Verification;

/// <summary>
/// Runs ffmpeg with an argument list (never a shell string), no console input, a time limit that kills the process
/// tree, stdout captured and the end of stderr kept for the error message. Only for files the CLI makes itself
/// (`bench-watermark`'s edits, `bench --pipeline`'s videos); untrusted files go through EchoPipeline.Media's boundary (verify, score, the ingest).
/// </summary>
internal static class ToolProcess
{
    private const int StderrTail = 2000;

    public sealed record Result(int ExitCode, byte[] Stdout, string StderrTail);

    public static async Task<Result> RunAsync(string tool, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (tool == "ffmpeg")
        {
            start.ArgumentList.Add("-nostdin");
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"{tool} does not start ({ex.Message}); install FFmpeg (apt-get install ffmpeg or eng/bootstrap.sh).", ex);
        }

        using (process)
        {
            process.StandardInput.Close();
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            using var stdout = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout, limit.Token);
            var stderr = process.StandardError.ReadToEndAsync(limit.Token);
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
                await Task.WhenAll(copy, stderr).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                throw new TimeoutException($"{tool} took longer than {timeout.TotalSeconds:0} s and was stopped.");
            }

            var text = await stderr.ConfigureAwait(false);
            return new Result(process.ExitCode, stdout.ToArray(), text.Length > StderrTail ? text[^StderrTail..] : text);
        }
    }

    /// <summary>The last non-empty stderr line, for one-line errors.</summary>
    public static string LastLine(string stderr)
    {
        var line = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        return Printable(line, 200);
    }

    /// <summary>Untrusted text (tags, ffmpeg messages) made safe for a terminal: control characters escaped, length bounded.</summary>
    public static string Printable(string text, int maxLength)
    {
        var builder = new StringBuilder();
        foreach (var c in text)
        {
            if (builder.Length >= maxLength)
            {
                builder.Append('…');
                break;
            }

            builder.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return builder.ToString();
    }
}
