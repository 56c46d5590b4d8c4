using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EchoPipeline.Jobs.Batches;

/// <summary>
/// A batch's id: 32 lower-case hex digits of SHA-256 over its job ids (in order) and its callback URL. Like job ids it
/// is content-addressed: a retried POST of the same items finds the batch it made, rather than a second one.
/// </summary>
[JsonConverter(typeof(BatchIdJsonConverter))]
public readonly record struct BatchId
{
    private readonly string? _value;

    private BatchId(string value) => _value = value;

    public string Value => _value ?? throw new InvalidOperationException("BatchId is default.");

    public static BatchId Derive(IEnumerable<JobId> jobs, Uri? callbackUrl)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var text = $"echo-batch/v1\n{string.Join(",", jobs.Select(j => j.Value))}\ncallback={callbackUrl?.AbsoluteUri}";
        return new BatchId(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, JobId.Length / 2)));
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out BatchId id)
    {
        id = default;
        if (text is null || text.Length != JobId.Length || !text.All(char.IsAsciiHexDigitLower))
        {
            return false;
        }

        id = new BatchId(text);
        return true;
    }

    public override string ToString() => Value;
}

internal sealed class BatchIdJsonConverter : JsonConverter<BatchId>
{
    public override BatchId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        BatchId.TryParse(reader.GetString(), out var id) ? id : throw new JsonException("Malformed batch id.");

    public override void Write(Utf8JsonWriter writer, BatchId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}
