using System.Text.Json;
using System.Text.Json.Serialization;

namespace EchoPipeline.Engine.Bundles;

/// <summary>A tensor dimension in a manifest: a fixed size, or the symbolic batch dimension <c>"batch"</c>.</summary>
[JsonConverter(typeof(TensorDimensionJsonConverter))]
public readonly record struct TensorDimension(long Size, string? Symbol)
{
    public const string BatchSymbol = "batch";

    public static TensorDimension Batch { get; } = new(-1, BatchSymbol);

    public static TensorDimension Fixed(long size) => new(size, null);

    public bool IsSymbolic => Symbol is not null;

    /// <inheritdoc />
    public override string ToString() => Symbol is null ? Size.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"\"{Symbol}\"";
}

/// <summary>Reads a dimension written as an integer or a string such as <c>"batch"</c>.</summary>
public sealed class TensorDimensionJsonConverter : JsonConverter<TensorDimension>
{
    public override TensorDimension Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number when reader.TryGetInt64(out var size) && size > 0 => TensorDimension.Fixed(size),
            JsonTokenType.String when reader.GetString() is { Length: > 0 } symbol => new TensorDimension(-1, symbol),
            _ => throw new JsonException("A dimension must be a positive integer or a name such as \"batch\"."),
        };

    public override void Write(Utf8JsonWriter writer, TensorDimension value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.Symbol is null)
        {
            writer.WriteNumberValue(value.Size);
        }
        else
        {
            writer.WriteStringValue(value.Symbol);
        }
    }
}
