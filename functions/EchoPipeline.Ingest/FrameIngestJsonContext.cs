using System.Text.Json;
using System.Text.Json.Serialization;

namespace EchoPipeline.Ingest;

/// <summary>The index of a content's frames (<see cref="FrameIngest"/>), in the contracts' JSON style.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(FrameIngestResult))]
internal sealed partial class FrameIngestJsonContext : JsonSerializerContext;
