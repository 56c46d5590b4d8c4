using System.Text.Json;
using EchoPipeline.Functions.Hosting;

namespace EchoPipeline.Functions.CustomHandler;

/// <summary>
/// Routes the host's invocations (POST /{FunctionName}) to the registered <see cref="IFunction"/>s and answers
/// the host's readiness ping (any reply to GET / means "started").
/// </summary>
public static class CustomHandlerEndpoints
{
    public static IEndpointRouteBuilder MapCustomHandler(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => Results.Ok(new { status = "ready" }));
        endpoints.MapPost("/{functionName}", InvokeAsync);
        return endpoints;
    }

    private static async Task<IResult> InvokeAsync(string functionName, HttpContext context, FunctionRegistry registry, ILogger<InvocationRequest> logger)
    {
        if (!registry.TryGet(functionName, out var function))
        {
            return Results.NotFound(new { error = $"No function named '{functionName}'." });
        }

        InvocationRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, FunctionsJsonContext.Default.InvocationRequest, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            FunctionsLog.MalformedInvocation(logger, functionName, ex.Message);
            return Results.BadRequest(new { error = $"Invocation body is not a custom handler request payload: {ex.Message}" });
        }

        var invocationId = context.Request.Headers["X-Azure-Functions-InvocationId"].ToString();
        try
        {
            var response = await function.InvokeAsync(request ?? new InvocationRequest(), context.RequestAborted);
            return Results.Json(response, FunctionsJsonContext.Default.InvocationResponse);
        }
        catch (InvalidInvocationException ex)
        {
            FunctionsLog.MalformedInvocation(logger, functionName, ex.Message);
            return Results.BadRequest(new { error = ex.Message });
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            // Infrastructure failures (storage unreachable, disk full) fail the invocation so the host and
            // Event Grid retry it; bad input never gets here, it becomes a failed job record.
            FunctionsLog.InvocationFailed(logger, ex, functionName, invocationId);
            return Results.Json(
                new InvocationResponse { Logs = [$"{functionName} failed: {ex.GetType().Name}: {ex.Message}"] },
                FunctionsJsonContext.Default.InvocationResponse,
                statusCode: StatusCodes.Status500InternalServerError);
        }
    }
}
