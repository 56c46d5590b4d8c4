using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using EchoPipeline.Storage.Authentication;

namespace EchoPipeline.Storage.Pipeline;

/// <summary>The Azure.Core pipeline shared by the Blob and Queue clients of one account, plus request helpers.</summary>
internal sealed class StoragePipeline
{
    private readonly HttpPipeline _pipeline;

    public StoragePipeline(StorageClientOptions options, StorageAuthentication authentication)
    {
        options.Validate();
        Options = options;
        var pipelineOptions = new HttpPipelineOptions(options) { RequestFailedDetailsParser = StorageErrorParser.Instance };
        pipelineOptions.PerRetryPolicies.Add(new StorageHeadersPolicy(options.ServiceVersion, options.TimeProvider));
        var authenticationPolicies = authentication.Position == HttpPipelinePosition.PerCall ? pipelineOptions.PerCallPolicies : pipelineOptions.PerRetryPolicies;
        authenticationPolicies.Add(authentication.Policy);
        _pipeline = HttpPipelineBuilder.Build(pipelineOptions);
    }

    public StorageClientOptions Options { get; }

    public HttpMessage CreateMessage(RequestMethod method, Uri uri)
    {
        var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        return message;
    }

    /// <summary>Sends the message; an error status other than <paramref name="toleratedStatus"/> throws <see cref="RequestFailedException"/>.</summary>
    public async ValueTask<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken, int toleratedStatus = 0)
    {
        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        if (response.IsError && response.Status != toleratedStatus)
        {
            throw await CreateExceptionAsync(response, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    private static async Task<RequestFailedException> CreateExceptionAsync(Response response, CancellationToken cancellationToken)
    {
        // Streaming downloads leave the body on the wire; error bodies are small, so buffer them for the details parser.
        if (response.ContentStream is { } stream and not MemoryStream)
        {
            var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            buffer.Position = 0;
            response.ContentStream = buffer;
        }

        return new RequestFailedException(response, null, StorageErrorParser.Instance);
    }
}
