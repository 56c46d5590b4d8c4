using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EchoPipeline.Jobs;

/// <summary>
/// A job's id: 32 lower-case hex digits, the first 128 bits of SHA-256 over the source identity, the canonical
/// parameters (what was asked: an absent value is "auto") and the id of the model bundle that runs it, which fixes
/// what "auto" means. The same upload with the same parameters on the same bundle always gets the same id, so a
/// duplicate event or a retried request finds the job that already exists; a new bundle makes new jobs.
/// </summary>
[JsonConverter(typeof(JobIdJsonConverter))]
public readonly record struct JobId
{
    public const int Length = 32;

    private readonly string? _value;

    private JobId(string value) => _value = value;

    public string Value => _value ?? throw new InvalidOperationException("JobId is default.");

    /// <summary>Derives the id; <paramref name="bundleId"/> is the deployed bundle's (bundle.json <c>id</c>).</summary>
    public static JobId Derive(SourceIdentity source, JobParameters parameters, string bundleId)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentException.ThrowIfNullOrWhiteSpace(bundleId);
        var text = $"echo-job/v2\n{source.Canonical}\n{parameters.ToCanonicalString()}\nbundle={bundleId}";
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return new JobId(Convert.ToHexStringLower(hash[..(Length / 2)]));
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out JobId id)
    {
        id = default;
        if (text is null || text.Length != Length || !text.All(char.IsAsciiHexDigitLower))
        {
            return false;
        }

        id = new JobId(text);
        return true;
    }

    public static JobId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not a job id ({Length} lower-case hex digits).");

    public override string ToString() => Value;
}

internal sealed class JobIdJsonConverter : JsonConverter<JobId>
{
    public override JobId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JobId.TryParse(reader.GetString(), out var id) ? id : throw new JsonException("Malformed job id.");

    public override void Write(Utf8JsonWriter writer, JobId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
