using System.Globalization;
using System.Text.Json.Nodes;

namespace EchoPipeline.Cli.Evaluation;

/// <summary>The measures of one `eval` run, printed as `name: value` lines as they come and optionally saved as JSON.</summary>
internal sealed class EvalReport
{
    private readonly JsonObject _values = [];

    public void Add(string name, double value)
    {
        _values[name] = Math.Round(value, 4);
        Console.WriteLine($"{name}: {value.ToString("F4", CultureInfo.InvariantCulture)}");
    }

    public void Add(string name, string value)
    {
        _values[name] = value;
        Console.WriteLine($"{name}: {value}");
    }

    /// <summary>One JSON object, names in the order they were measured.</summary>
    public Task SaveAsync(string path, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(path, _values.ToJsonString() + "\n", cancellationToken);
}
