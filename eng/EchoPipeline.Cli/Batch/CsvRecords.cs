using System.Text;

namespace EchoPipeline.Cli.Batch;

/// <summary>
/// RFC 4180 records read one at a time from a stream (the manifest is never held whole): fields separated by commas,
/// a quoted field may hold commas, line breaks and doubled quotes. A record with text after a closing quote, or a quote
/// left open at the end, comes back with a problem instead of fields, and reading goes on after it.
/// </summary>
internal sealed class CsvRecords(TextReader reader)
{
    private enum State
    {
        FieldStart,
        Unquoted,
        Quoted,
        AfterQuote,
    }

    /// <summary>The next record's fields, or null at the end. Blank lines are skipped.</summary>
    public (List<string> Fields, string? Problem)? Read()
    {
        while (true)
        {
            var record = ReadRecord();
            if (record is null)
            {
                return null;
            }

            if (record.Value.Problem is not null || record.Value.Fields is not [""])
            {
                return record;
            }
        }
    }

    private (List<string> Fields, string? Problem)? ReadRecord()
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var state = State.FieldStart;
        string? problem = null;
        var any = false;
        while (true)
        {
            var c = reader.Read();
            if (c == -1)
            {
                if (!any)
                {
                    return null;
                }

                if (state == State.Quoted)
                {
                    problem ??= "a quoted field is not closed before the end of the file.";
                }

                fields.Add(field.ToString());
                return (fields, problem);
            }

            any = true;
            var ch = (char)c;
            if (state != State.Quoted && ch is '\r' or '\n')
            {
                if (ch == '\r' && reader.Peek() == '\n')
                {
                    reader.Read();
                }

                fields.Add(field.ToString());
                return (fields, problem);
            }

            switch (state)
            {
                case State.FieldStart when ch == '"':
                    state = State.Quoted;
                    break;
                case State.FieldStart or State.Unquoted when ch == ',':
                case State.AfterQuote when ch == ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    state = State.FieldStart;
                    break;
                case State.FieldStart or State.Unquoted:
                    field.Append(ch);
                    state = State.Unquoted;
                    break;
                case State.Quoted when ch == '"':
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        state = State.AfterQuote;
                    }

                    break;
                case State.Quoted:
                    field.Append(ch);
                    break;
                default:
                    problem ??= "text follows a closing quote; quote the whole field and double the quotes inside it.";
                    break;
            }
        }
    }
}
