using System.Text.Json.Serialization;
using EchoPipeline.Functions.CustomHandler;
using EchoPipeline.Functions.Events;
using EchoPipeline.Functions.Functions;

namespace EchoPipeline.Functions.Hosting;

/// <summary>Source-generated JSON for the handler's own payloads (job records use JobJsonContext).</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(InvocationRequest))]
[JsonSerializable(typeof(InvocationResponse))]
[JsonSerializable(typeof(HttpResponseOutput))]
[JsonSerializable(typeof(ValidationResponse))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(SubmitJobBody))]
[JsonSerializable(typeof(JobAccepted))]
[JsonSerializable(typeof(WebhookResult))]
internal sealed partial class FunctionsJsonContext : JsonSerializerContext;
