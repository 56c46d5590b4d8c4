using System.Globalization;
using EchoPipeline.Cli.Batch;

namespace EchoPipeline.Cli.Tests.Batch;

/// <summary>What a batch shows while it runs: a bar redrawn in place on a terminal, plain lines in logs.</summary>
public sealed class BatchProgressTests
{
    [Fact]
    public void Plain_progress_writes_whole_lines_with_done_failed_remaining_and_rate_without_terminal_codes()
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        var progress = new PlainProgress(output, TimeSpan.Zero);

        progress.Planned(4);
        progress.Finished(1, failed: true, reused: false);
        progress.Finished(2, failed: false, reused: true);
        progress.Complete();

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("3/4 done, 1 failed, 1 remaining, 0.00 clips/s, ETA -", lines[^1]);
        Assert.Equal("0/4 done, 0 failed, 4 remaining, 0.00 clips/s, ETA -", lines[0]);
        Assert.DoesNotContain('\u001b', output.ToString());
        Assert.DoesNotContain('\r', output.ToString());
    }

    [Fact]
    public void Terminal_progress_redraws_one_line_with_a_bar_and_keeps_notes_on_lines_of_their_own()
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        var progress = new TerminalProgress(output);

        progress.Planned(2);
        progress.Note("starting the pipeline");
        progress.Finished(2, failed: false, reused: false);
        progress.Complete();

        var text = output.ToString();
        Assert.Contains("\r\u001b[2Kstarting the pipeline" + Environment.NewLine, text, StringComparison.Ordinal);
        Assert.Contains("[########################] 2/2 done, 0 failed, 0 remaining", text, StringComparison.Ordinal);
        Assert.Contains("[------------------------] 0/2 done", text, StringComparison.Ordinal);
        Assert.EndsWith(Environment.NewLine, text, StringComparison.Ordinal);
    }
}
