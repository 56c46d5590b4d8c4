using EchoPipeline.Functions.CustomHandler;
using EchoPipeline.Functions.Hosting;
using EchoPipeline.Functions.Ingest;
using EchoPipeline.Jobs;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Functions.Functions;

/// <summary>
/// POST /api/jobs: ingest a blob of <c>videos</c> or an https URL with explicit parameters. 202 with the job id and
/// status URL when queued (also for a duplicate of an existing job), 422 when the input was recorded as failed,
/// 400 naming the field for an invalid request or a refused URL.
/// </summary>
public sealed class SubmitJobFunction(IngestService ingest, IOptions<IngestOptions> options, ILogger<SubmitJobFunction> logger) : IFunction
{
    public string Name => FunctionNames.SubmitJob;

    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var req = HttpTriggerRequest.From(request);
        var (submit, errors) = SubmitJobRequest.Parse(req.Body, options.Value.AllowPrivateNetworkSources);
        if (submit is null)
        {
            return BadRequest("invalid_request", "The request is invalid: " + string.Join("; ", errors), errors);
        }

        IngestOutcome outcome;
        if (submit.Blob is { } blob)
        {
            if (!await ingest.BlobExistsAsync(blob, cancellationToken).ConfigureAwait(false))
            {
                var missing = new ValidationError("source.blob", $"there is no blob '{BlobNameRules.ForDisplay(blob)}' in the 'videos' container.");
                return BadRequest(JobErrorCodes.SourceNotFound, missing.ToString(), [missing]);
            }

            outcome = await ingest.IngestBlobAsync(blob, submit.Parameters, null, fromEvent: false, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            try
            {
                outcome = await ingest.IngestUrlAsync(submit.Url!, submit.Parameters, cancellationToken).ConfigureAwait(false);
            }
            catch (SourceRejectedException ex)
            {
                FunctionsLog.SourceRefused(logger, submit.Url!.ToString(), ex.Message);
                return BadRequest(ex.Code, ex.Message, [new ValidationError("source.url", ex.Message)]);
            }
        }

        var job = outcome.Job!;
        var statusUrl = StatusUrl(req.Url, job.Id);
        var accepted = new JobAccepted(job.Id.Value, job.Status, statusUrl, outcome.Disposition == IngestDisposition.Existing, job.Error);
        var response = HttpResponseOutput.Json(job.Status == JobStatus.Failed ? 422 : 202, accepted, FunctionsJsonContext.Default.JobAccepted);
        response.Headers["Location"] = statusUrl.AbsoluteUri;
        return InvocationResponse.Http(response, $"job {job.Id}: {job.Status} ({outcome.Disposition})");
    }

    /// <summary>GetJob's route is this function's route plus /{id}, so the status URL is the request URL without its query, plus the id.</summary>
    internal static Uri StatusUrl(Uri requestUrl, JobId id) =>
        new(requestUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/" + id.Value);

    private static InvocationResponse BadRequest(string code, string message, IReadOnlyList<ValidationError> errors) =>
        InvocationResponse.Http(HttpResponseOutput.Json(400, new ErrorBody(code, message, errors), FunctionsJsonContext.Default.ErrorBody));
}
