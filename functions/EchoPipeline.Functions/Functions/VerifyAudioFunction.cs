using System.Text;
using System.Text.Json;
using Azure;
using EchoPipeline.Functions.Hosting;
using EchoPipeline.Functions.Verification;
using EchoPipeline.Media;
using Microsoft.Azure.Functions.Worker;

namespace EchoPipeline.Functions.Functions;

/// <summary>
/// POST /api/verify: is this blob of the data account marked as ours? 200 with the verdict (present or absent, statistic,
/// threshold, payload, marked seconds, metadata: <see cref="VerifyAudioReply"/>); 400 for a malformed request, a blob
/// outside the account or outside the media containers; 404 for a missing blob; 413 past the size cap; 422 when the
/// blob is not audio FFmpeg reads (with EchoPipeline.Media's code); 409 when it changed while it was read.
/// </summary>
public sealed class VerifyAudioFunction(BlobAudioVerifier verifier, ILogger<VerifyAudioFunction> logger)
{
    /// <summary>The request is a few names; anything longer is not one.</summary>
    private const int MaxBodyBytes = 8 * 1024;

    [Function(FunctionNames.VerifyAudio)]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "verify")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await ReadBodyAsync(request.Body, cancellationToken).ConfigureAwait(false);
        VerifyAudioBody? dto = null;
        string? problem = body is null ? $"The body is longer than {MaxBodyBytes} bytes." : null;
        try
        {
            dto = problem is null && !string.IsNullOrWhiteSpace(body) ? JsonSerializer.Deserialize(body, FunctionsJsonContext.Default.VerifyAudioBody) : null;
            problem ??= dto is null ? "Send a JSON object: {\"blob\": \"audio/<name>\"} or {\"container\": ..., \"name\": ...}." : null;
        }
        catch (JsonException ex)
        {
            problem = ex.Message;
        }

        if (problem is not null)
        {
            return Error(400, "invalid_request", problem);
        }

        if (BlobReference.Parse(dto!.Container, dto.Name, dto.Blob, verifier.AccountEndpoint, out var code, out var message) is not { } blob)
        {
            FunctionsLog.VerifyRefused(logger, code, message);
            return Error(400, code, message);
        }

        try
        {
            var verification = await verifier.VerifyAsync(blob, cancellationToken).ConfigureAwait(false);
            var detection = verification.Detection;
            FunctionsLog.Verified(logger, blob.ToString(), detection.Present, detection.Statistic, detection.Payload?.ToString() ?? "", detection.KeyId);
            return new JsonReply<VerifyAudioReply>(200, VerifyAudioReply.From(blob, verification), FunctionsJsonContext.Default.VerifyAudioReply);
        }
        catch (MediaException ex)
        {
            FunctionsLog.VerifyFailed(logger, blob.ToString(), ex.ErrorCode, ex.Message);
            return Error(StatusOf(ex.Code), ex.ErrorCode, ex.Message);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return Error(409, "blob_changed", $"'{blob}' changed while it was read; try again.");
        }
    }

    internal static int StatusOf(MediaErrorCode code) => code switch
    {
        MediaErrorCode.NotFound => 404,
        MediaErrorCode.TooLarge => 413,
        MediaErrorCode.FfmpegMissing => 500,
        MediaErrorCode.Timeout => 503,
        _ => 422,
    };

    /// <summary>The body as text, or null when it is longer than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<string?> ReadBodyAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxBodyBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
        }

        return length > MaxBodyBytes ? null : Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static JsonReply<ErrorBody> Error(int status, string code, string message) =>
        new(status, new ErrorBody(code, message), FunctionsJsonContext.Default.ErrorBody);
}
