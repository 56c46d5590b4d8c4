using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace EchoPipeline.Storage.Tests.Support;

/// <summary>A per-retry policy that remembers every request sent (method and URI), to check what the client did on the wire.</summary>
internal sealed class RequestRecorder : HttpPipelineSynchronousPolicy
{
    public ConcurrentQueue<(string Method, Uri Uri)> Requests { get; } = new();

    public override void OnSendingRequest(HttpMessage message) =>
        Requests.Enqueue((message.Request.Method.Method, message.Request.Uri.ToUri()));

    public int Count(string method, string query) =>
        Requests.Count(request => request.Method == method && request.Uri.Query.Contains(query, StringComparison.Ordinal));
}
