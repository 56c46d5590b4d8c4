namespace EchoPipeline.Functions.Hosting;

/// <summary>
/// Function names as the host knows them (functions.metadata): the blobs extension's Event Grid webhook names
/// <c>Host.Functions.{name}</c>, so infra's event subscription depends on <see cref="OnVideoUploaded"/>.
/// </summary>
public static class FunctionNames
{
    public const string OnVideoUploaded = "OnVideoUploaded";
    public const string SubmitJob = "SubmitJob";
    public const string GetJob = "GetJob";
    public const string SubmitBatch = "SubmitBatch";
    public const string GetBatch = "GetBatch";
    public const string VerifyAudio = "VerifyAudio";
}
