namespace EchoPipeline.Testing;

/// <summary>The last lines Azurite printed, kept to explain a failed start.</summary>
internal sealed class AzuriteLog
{
    private const int MaxLines = 40;
    private readonly Queue<string> _lines = new();

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > MaxLines)
            {
                _lines.Dequeue();
            }
        }
    }

    public string Tail()
    {
        lock (_lines)
        {
            return string.Join(Environment.NewLine, _lines);
        }
    }
}
