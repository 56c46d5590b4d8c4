using System.Text.Json.Serialization;
using EchoPipeline.Functions.Batches;
using EchoPipeline.Functions.Functions;
using EchoPipeline.Functions.Verification;

namespace EchoPipeline.Functions.Hosting;

/// <summary>Source-generated JSON for the HTTP functions' own bodies (job records use JobJsonContext).</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(SubmitJobBody))]
[JsonSerializable(typeof(JobAccepted))]
[JsonSerializable(typeof(SubmitBatchBody))]
[JsonSerializable(typeof(BatchAccepted))]
[JsonSerializable(typeof(BatchProgress))]
[JsonSerializable(typeof(VerifyAudioBody))]
[JsonSerializable(typeof(VerifyAudioReply))]
internal sealed partial class FunctionsJsonContext : JsonSerializerContext;
