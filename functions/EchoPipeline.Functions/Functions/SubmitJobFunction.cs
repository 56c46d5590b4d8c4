using EchoPipeline.Functions.Hosting;
using EchoPipeline.Ingest;
using EchoPipeline.Jobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Functions.Functions;

/// <summary>
/// POST /api/jobs: ingest a blob of <c>videos</c> or an https URL with explicit parameters. 202 with the job id and
/// status URL when queued (also for a duplicate of an existing job), 422 when the input was recorded as failed,
/// 400 naming the field for an invalid request or a refused URL.
/// </summary>
public sealed class SubmitJobFunction(IngestService ingest, IOptions<IngestOptions> options, ILogger<SubmitJobFunction> logger)
{
    [Function(FunctionNames.SubmitJob)]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "jobs")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        var (submit, errors) = SubmitJobRequest.Parse(body, options.Value.AllowPrivateNetworkSources);
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

            outcome = await ingest.IngestBlobAsync(blob, submit.Parameters, cancellationToken).ConfigureAwait(false);
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
        var statusUrl = StatusUrl(request, job.Id);
        var duplicate = outcome.Disposition is IngestDisposition.Existing or IngestDisposition.InProgress;
        var accepted = new JobAccepted(job.Id.Value, job.Status, statusUrl, duplicate, job.Error);
        return new JsonReply<JobAccepted>(job.Status == JobStatus.Failed ? 422 : 202, accepted, FunctionsJsonContext.Default.JobAccepted)
        {
            Headers = { ["Location"] = statusUrl.AbsoluteUri },
        };
    }

    /// <summary>GetJob's route is this function's route plus /{id}, so the status URL is the request URL without its query, plus the id.</summary>
    internal static Uri StatusUrl(HttpRequest request, JobId id) =>
        new($"{request.Scheme}://{request.Host}{request.PathBase}{request.Path.Value?.TrimEnd('/')}/{id.Value}");

    private static JsonReply<ErrorBody> BadRequest(string code, string message, IReadOnlyList<ValidationError> errors) =>
        new(400, new ErrorBody(code, message, errors), FunctionsJsonContext.Default.ErrorBody);
}
