using EchoPipeline.Functions.CustomHandler;
using EchoPipeline.Functions.Events;
using EchoPipeline.Functions.Hosting;

namespace EchoPipeline.Functions.Functions;

/// <summary>
/// eventGridTrigger on the storage account's system topic (BlobCreated, container <c>videos</c>). The host validates
/// the subscription itself and hands each event over as Data.eventGridEvent (an object, or a JSON string of one).
/// </summary>
public sealed class OnVideoUploadedFunction(BlobEventIngest events, ILogger<OnVideoUploadedFunction> logger) : IFunction
{
    public string Name => FunctionNames.OnVideoUploaded;

    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Data.TryGetValue(BindingNames.EventGridEvent, out var payload))
        {
            throw new InvalidInvocationException($"Data.{BindingNames.EventGridEvent} is missing.");
        }

        IReadOnlyList<IncomingEvent> parsed;
        try
        {
            parsed = EventParser.Parse(payload);
        }
        catch (InvalidEventException ex)
        {
            // Retrying cannot fix a malformed event: log it and complete the invocation.
            FunctionsLog.EventMalformed(logger, ex.Message);
            return new InvocationResponse { Logs = [$"Ignored a malformed event: {ex.Message}"] };
        }

        var jobs = await events.HandleAsync(parsed, cancellationToken).ConfigureAwait(false);
        return new InvocationResponse { Logs = [.. jobs.Select(j => j.ToString())] };
    }
}
