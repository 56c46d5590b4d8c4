using EchoPipeline.Functions.CustomHandler;
using EchoPipeline.Functions.Hosting;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;

namespace EchoPipeline.Functions.Functions;

/// <summary>GET /api/jobs/{id}: the job record as stored; 400 for a malformed id, 404 for an unknown one.</summary>
public sealed class GetJobFunction(JobStore jobs) : IFunction
{
    public string Name => FunctionNames.GetJob;

    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var req = HttpTriggerRequest.From(request);
        var text = req.Params.GetValueOrDefault("id") ?? "";
        if (!JobId.TryParse(text, out var id))
        {
            return Error(400, "invalid_job_id", $"'{Shorten(text)}' is not a job id; job ids are {JobId.Length} lower-case hex digits.");
        }

        if (await jobs.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return Error(404, "job_not_found", $"There is no job {id}.");
        }

        var response = HttpResponseOutput.Json(200, stored.Record, JobJsonContext.Default.JobRecord);
        response.Headers["ETag"] = stored.ETag.ToString("H");
        return InvocationResponse.Http(response);
    }

    private static InvocationResponse Error(int status, string code, string message) =>
        InvocationResponse.Http(HttpResponseOutput.Json(status, new ErrorBody(code, message), FunctionsJsonContext.Default.ErrorBody));

    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "…");
}
