namespace EchoPipeline.Functions.CustomHandler;

/// <summary>Function names = folder names under functions/; the host POSTs to /{name}.</summary>
public static class FunctionNames
{
    public const string OnVideoUploaded = "OnVideoUploaded";
    public const string OnVideoUploadedWebhook = "OnVideoUploadedWebhook";
    public const string SubmitJob = "SubmitJob";
    public const string GetJob = "GetJob";
}
