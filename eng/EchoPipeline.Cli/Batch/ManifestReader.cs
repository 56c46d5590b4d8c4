using System.Globalization;
using System.Text.Json;

namespace EchoPipeline.Cli.Batch;

/// <summary>
/// Streams the rows of a manifest: CSV (a header naming an <c>input</c> column; <c>steps</c>, <c>temperature</c>,
/// <c>guidance</c>, <c>seed</c>, <c>variations</c> optional, other columns ignored) or JSON Lines (one object per line,
/// the same names). A bad row is returned with its problem; only an unusable file (no <c>input</c> column) throws.
/// </summary>
internal static class ManifestReader
{
    /// <exception cref="FormatException">The file is neither .csv nor .jsonl, or the CSV header has no input column.</exception>
    public static IEnumerable<ManifestRow> Read(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".csv" => ReadCsv(path),
            ".jsonl" or ".ndjson" => ReadJsonLines(path),
            _ => throw new FormatException($"{path}: a manifest is a .csv file (with an 'input' column) or a .jsonl file (one {{\"input\": ...}} object per line)."),
        };
    }

    /// <summary>Every file of <paramref name="folder"/> (not hidden, not README.md), sorted, as rows with no parameters of their own.</summary>
    public static IEnumerable<ManifestRow> ReadFolder(string folder) =>
        Directory.EnumerateFiles(folder)
            .Select(Path.GetFileName)
            .Where(name => !name!.StartsWith('.') && !name.Equals("README.md", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select((name, i) => new ManifestRow(i + 1, name!, new RowParameters()));

    private static IEnumerable<ManifestRow> ReadCsv(string path)
    {
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        var records = new CsvRecords(reader);
        if (records.Read() is not { Problem: null } header)
        {
            throw new FormatException($"{path}: the first line must be a header naming the columns, with one called 'input'.");
        }

        var columns = header.Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        var input = columns.IndexOf("input");
        if (input < 0)
        {
            throw new FormatException($"{path}: the header ({string.Join(",", columns)}) has no 'input' column.");
        }

        var row = 0;
        while (records.Read() is { } record)
        {
            row++;
            if (record.Problem is { } problem)
            {
                yield return new ManifestRow(row, "", new RowParameters(), problem);
                continue;
            }

            if (record.Fields.Count > columns.Count)
            {
                yield return new ManifestRow(row, "", new RowParameters(), $"has {record.Fields.Count} fields but the header names {columns.Count}; quote fields that hold commas.");
                continue;
            }

            string? Cell(string name) => columns.IndexOf(name) is var i and >= 0 && i < record.Fields.Count && record.Fields[i].Trim() is { Length: > 0 } text ? text : null;
            yield return Parse(row, input < record.Fields.Count ? record.Fields[input] : "", Cell);
        }
    }

    private static IEnumerable<ManifestRow> ReadJsonLines(string path)
    {
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        var row = 0;
        while (reader.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            row++;
            var (document, problem) = ParseLine(line);
            if (document is null)
            {
                yield return new ManifestRow(row, "", new RowParameters(), $"is not valid JSON: {problem}");
                continue;
            }

            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    yield return new ManifestRow(row, "", new RowParameters(), "must be a JSON object with an \"input\" field.");
                    continue;
                }

                var root = document.RootElement;
                var input = root.TryGetProperty("input", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
                string? Field(string name) => root.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.Number or JsonValueKind.String ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()) : null;
                yield return Parse(row, input, Field);
            }
        }
    }

    private static (JsonDocument? Document, string? Problem) ParseLine(string line)
    {
        try
        {
            return (JsonDocument.Parse(line), null);
        }
        catch (JsonException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>The row's input and parameters; a value that is not a number, or out of range, is the row's problem.</summary>
    private static ManifestRow Parse(int row, string input, Func<string, string?> value)
    {
        var problems = new List<string>();
        int? Integer(string name)
        {
            if (value(name) is not { } text)
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }

            problems.Add($"{name} '{text}' is not a whole number");
            return null;
        }

        double? Real(string name)
        {
            if (value(name) is not { } text)
            {
                return null;
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n))
            {
                return n;
            }

            problems.Add($"{name} '{text}' is not a number");
            return null;
        }

        long? seed = null;
        if (value("seed") is { } seedText)
        {
            if (long.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) && s >= 0 && s <= uint.MaxValue)
            {
                seed = s;
            }
            else
            {
                problems.Add($"seed '{seedText}' is not a whole number between 0 and {uint.MaxValue}");
            }
        }

        var parameters = new RowParameters(Integer("steps"), Real("temperature"), Real("guidance"), seed, Integer("variations"));
        if (string.IsNullOrWhiteSpace(input))
        {
            problems.Add("has no input");
        }

        return new ManifestRow(row, input, parameters, problems.Count == 0 ? null : string.Join("; ", problems) + ".");
    }
}
