using EchoPipeline.Cli.Batch;

namespace EchoPipeline.Cli.Tests.Batch;

/// <summary>Manifests as people write them: spreadsheets' CSV (quotes, commas, line breaks) and JSON Lines, with bad rows among good ones.</summary>
public sealed class ManifestReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("echopipe-manifest-").FullName;

    [Fact]
    public void Csv_fields_keep_commas_doubled_quotes_and_line_breaks_inside_quotes()
    {
        var path = Write("m.csv", "label,INPUT,steps,guidance\r\n\"a, b\",\"clips/one, \"\"two\"\".png\",12,2.5\r\nx,\"multi\nline.png\",,\n\nlast,plain.png,,\n");

        var rows = ManifestReader.Read(path).ToList();

        Assert.Equal(3, rows.Count);
        Assert.Equal("clips/one, \"two\".png", rows[0].Input);
        Assert.Equal(new RowParameters(Steps: 12, Guidance: 2.5), rows[0].Parameters);
        Assert.Equal("multi\nline.png", rows[1].Input);
        Assert.Equal(new RowParameters(), rows[1].Parameters);
        Assert.Equal(("plain.png", 3), (rows[2].Input, rows[2].Row));
        Assert.All(rows, r => Assert.Null(r.Problem));
    }

    [Fact]
    public void Csv_rows_with_bad_values_stray_text_or_too_many_fields_carry_their_problem_and_reading_goes_on()
    {
        var path = Write("m.csv", "input,steps,seed,temperature\nok.png,ten,,\n\"closed\"junk.png,,,\na.png,1,2,3,4\nneg.png,,-1,\nnan.png,,,NaN\nfine.png,5,,\n\"open.png,,,\n");

        var rows = ManifestReader.Read(path).ToList();

        Assert.Equal(7, rows.Count);
        Assert.Contains("steps 'ten' is not a whole number", rows[0].Problem, StringComparison.Ordinal);
        Assert.Contains("closing quote", rows[1].Problem, StringComparison.Ordinal);
        Assert.Contains("has 5 fields but the header names 4", rows[2].Problem, StringComparison.Ordinal);
        Assert.Contains("seed '-1'", rows[3].Problem, StringComparison.Ordinal);
        Assert.Contains("temperature 'NaN' is not a number", rows[4].Problem, StringComparison.Ordinal);
        Assert.Null(rows[5].Problem);
        Assert.Equal(5, rows[5].Parameters.Steps);
        Assert.Contains("not closed", rows[6].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_csv_without_an_input_column_or_a_manifest_of_another_kind_is_refused_with_a_message()
    {
        var noInput = Write("m.csv", "file,steps\na.png,3\n");
        var text = Write("m.txt", "a.png\n");

        Assert.Contains("no 'input' column", Assert.Throws<FormatException>(() => ManifestReader.Read(noInput).ToList()).Message, StringComparison.Ordinal);
        Assert.Contains(".csv", Assert.Throws<FormatException>(() => ManifestReader.Read(text).ToList()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Jsonl_rows_read_their_parameters_and_a_malformed_line_is_a_failed_row_between_good_ones()
    {
        var path = Write("m.jsonl", "{\"input\":\"a.png\",\"steps\":7,\"temperature\":4.5,\"seed\":\"99\",\"variations\":3,\"label\":\"kept out\"}\n\n{\"input\": \"b.png\"\n[1,2]\n{\"steps\":2}\n{\"input\":\"c.png\"}\n");

        var rows = ManifestReader.Read(path).ToList();

        Assert.Equal(5, rows.Count);
        Assert.Equal(new RowParameters(Steps: 7, Temperature: 4.5, Seed: 99, Variations: 3), rows[0].Parameters);
        Assert.Contains("not valid JSON", rows[1].Problem, StringComparison.Ordinal);
        Assert.Contains("JSON object", rows[2].Problem, StringComparison.Ordinal);
        Assert.Contains("has no input", rows[3].Problem, StringComparison.Ordinal);
        Assert.Equal(("c.png", 5, (string?)null), (rows[4].Input, rows[4].Row, rows[4].Problem));
    }

    [Fact]
    public void A_folder_gives_its_visible_files_in_name_order()
    {
        Write("b.png", "x");
        Write("a.mp4", "x");
        Write(".hidden", "x");
        Write("README.md", "x");

        Assert.Equal(["a.mp4", "b.png"], ManifestReader.ReadFolder(_folder).Select(r => r.Input));
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
