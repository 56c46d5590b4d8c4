using EchoPipeline.Functions.Hosting;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;
using Microsoft.Azure.Functions.Worker;

namespace EchoPipeline.Functions.Functions;

/// <summary>GET /api/jobs/{id}: the job record as stored, URLs without their secrets (<see cref="PublicView"/>); 400 for a malformed id, 404 for an unknown one.</summary>
public sealed class GetJobFunction(JobStore jobs)
{
    [Function(FunctionNames.GetJob)]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "jobs/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        var text = id ?? "";
        if (!JobId.TryParse(text, out var jobId))
        {
            return Error(400, "invalid_job_id", $"'{Shorten(text)}' is not a job id; job ids are {JobId.Length} lower-case hex digits.");
        }

        if (await jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return Error(404, "job_not_found", $"There is no job {jobId}.");
        }

        return new JsonReply<JobRecord>(200, PublicView.Of(stored.Record), JobJsonContext.Default.JobRecord) { Headers = { ["ETag"] = stored.ETag.ToString("H") } };
    }

    private static JsonReply<ErrorBody> Error(int status, string code, string message) =>
        new(status, new ErrorBody(code, message), FunctionsJsonContext.Default.ErrorBody);

    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "…");
}
