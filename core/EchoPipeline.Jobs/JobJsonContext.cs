using System.Text.Json;
using System.Text.Json.Serialization;

namespace EchoPipeline.Jobs;

/// <summary>Source-generated JSON for the contracts: camelCase, nulls omitted, enums as strings.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(JobRecord))]
[JsonSerializable(typeof(JobMessage))]
[JsonSerializable(typeof(JobParameters))]
public sealed partial class JobJsonContext : JsonSerializerContext;
