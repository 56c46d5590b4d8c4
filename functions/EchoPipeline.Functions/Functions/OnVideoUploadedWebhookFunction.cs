using EchoPipeline.Functions.CustomHandler;
using EchoPipeline.Functions.Events;
using EchoPipeline.Functions.Hosting;

namespace EchoPipeline.Functions.Functions;

/// <summary>
/// The same ingest as <see cref="OnVideoUploadedFunction"/> behind an HTTP trigger (POST /api/events/videos): the
/// endpoint a webhook subscription or the local pipeline (which has no Event Grid) posts deliveries to. Unlike the
/// eventGridTrigger it answers the handshakes itself: SubscriptionValidationEvent and the CloudEvents OPTIONS.
/// </summary>
public sealed class OnVideoUploadedWebhookFunction(BlobEventIngest events, ILogger<OnVideoUploadedWebhookFunction> logger) : IFunction
{
    public string Name => FunctionNames.OnVideoUploadedWebhook;

    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var req = HttpTriggerRequest.From(request);
        if (req.Method == "OPTIONS")
        {
            return AnswerCloudEventsHandshake(req);
        }

        IReadOnlyList<IncomingEvent> parsed;
        string? validationCode;
        try
        {
            parsed = EventParser.Parse(req.Body ?? "");
            validationCode = SubscriptionValidation.FindValidationCode(parsed);
        }
        catch (InvalidEventException ex)
        {
            FunctionsLog.EventMalformed(logger, ex.Message);
            return InvocationResponse.Http(HttpResponseOutput.Json(400, new ErrorBody("invalid_event", ex.Message), FunctionsJsonContext.Default.ErrorBody));
        }

        if (validationCode is not null)
        {
            FunctionsLog.SubscriptionValidated(logger);
            return InvocationResponse.Http(HttpResponseOutput.Json(200, new ValidationResponse(validationCode), FunctionsJsonContext.Default.ValidationResponse));
        }

        var jobs = await events.HandleAsync(parsed, cancellationToken).ConfigureAwait(false);
        return InvocationResponse.Http(HttpResponseOutput.Json(200, new WebhookResult(jobs), FunctionsJsonContext.Default.WebhookResult));
    }

    private static InvocationResponse AnswerCloudEventsHandshake(HttpTriggerRequest req)
    {
        if (req.Header(SubscriptionValidation.RequestOriginHeader) is not { Length: > 0 } origin)
        {
            return InvocationResponse.Http(HttpResponseOutput.Json(400,
                new ErrorBody("invalid_handshake", $"OPTIONS needs a {SubscriptionValidation.RequestOriginHeader} header."), FunctionsJsonContext.Default.ErrorBody));
        }

        var response = HttpResponseOutput.Empty(200);
        response.Headers[SubscriptionValidation.AllowedOriginHeader] = origin;
        response.Headers[SubscriptionValidation.AllowedRateHeader] = "*";
        response.Headers["Allow"] = "POST, OPTIONS";
        return InvocationResponse.Http(response);
    }
}
