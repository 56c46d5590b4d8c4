using System.Text;

namespace EchoPipeline.Media.Tests.Processes;

public sealed class StderrTailTests
{
    [Fact]
    public async Task Only_the_last_40_lines_are_kept_and_long_lines_are_cut()
    {
        var text = string.Join('\n', Enumerable.Range(1, 100).Select(i => $"line {i}")) + "\n" + new string('x', 1000) + "\n";
        using var reader = new StreamReader(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        var tail = new StderrTail();

        await tail.ReadToEndAsync(reader);

        var lines = tail.ToString().Split('\n');
        Assert.Equal(40, lines.Length);
        Assert.Equal("line 62", lines[0]);
        Assert.Equal(401, tail.LastLine.Length); // 400 characters and an ellipsis
    }
}
