namespace EchoPipeline.Media;

/// <summary>Keeps the last lines a tool wrote to stderr, bounded so a chatty run cannot grow memory.</summary>
internal sealed class StderrTail
{
    private const int MaxLines = 40;
    private const int MaxLineLength = 400;
    private readonly Queue<string> _lines = new();

    public string LastLine { get; private set; } = "";

    public async Task ReadToEndAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            line = line.Length > MaxLineLength ? line[..MaxLineLength] + "…" : line;
            lock (_lines)
            {
                _lines.Enqueue(line);
                if (_lines.Count > MaxLines)
                {
                    _lines.Dequeue();
                }

                LastLine = line;
            }
        }
    }

    public override string ToString()
    {
        lock (_lines)
        {
            return string.Join('\n', _lines);
        }
    }
}
