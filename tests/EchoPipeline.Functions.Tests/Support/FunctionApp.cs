using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using EchoPipeline.Functions.Batches;
using EchoPipeline.Functions.Functions;
using EchoPipeline.Functions.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;

namespace EchoPipeline.Functions.Tests.Support;

/// <summary>
/// The app's services built from its own registrations (<see cref="FunctionsServiceCollectionExtensions.AddEchoFunctions(IServiceCollection, IConfiguration)"/>)
/// and its function classes activated per call as the worker activates them, invoked the way their triggers would:
/// OnVideoUploaded with a <see cref="BlobClient"/> made from the trigger's connection string, the HTTP functions with a
/// request on a <see cref="DefaultHttpContext"/>, their <see cref="IActionResult"/> executed into a response.
/// </summary>
public sealed class FunctionApp : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly BlobServiceClient _triggerAccount;

    private FunctionApp(ServiceProvider services, string connectionString)
    {
        _services = services;
        _triggerAccount = new BlobServiceClient(connectionString);
    }

    public IServiceProvider Services => _services;

    public static FunctionApp Start(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        configure?.Invoke(services);
        services.AddEchoFunctions(configuration);
        return new FunctionApp(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }), settings["EchoStorage"]!);
    }

    public T Activate<T>() => ActivatorUtilities.CreateInstance<T>(_services);

    /// <summary>What the blob trigger does for a BlobCreated event on <paramref name="container"/>/<paramref name="blobName"/>.</summary>
    public Task UploadedAsync(string blobName, string container = "videos") =>
        Activate<OnVideoUploadedFunction>().RunAsync(_triggerAccount.GetBlobContainerClient(container).GetBlobClient(blobName), CancellationToken.None);

    public async Task<HttpReply> SubmitJobAsync(string body, string url = "http://localhost:7071/api/jobs?code=secret")
    {
        var context = Request("POST", url, body);
        return await ExecuteAsync(context, await Activate<SubmitJobFunction>().RunAsync(context.Request, CancellationToken.None));
    }

    public async Task<HttpReply> GetJobAsync(string id)
    {
        var context = Request("GET", $"http://localhost:7071/api/jobs/{Uri.EscapeDataString(id)}?code=secret", null);
        return await ExecuteAsync(context, await Activate<GetJobFunction>().RunAsync(context.Request, id, CancellationToken.None));
    }

    public async Task<HttpReply> SubmitBatchAsync(string body, string url = "http://localhost:7071/api/jobs:batch?code=secret")
    {
        var context = Request("POST", url, body);
        return await ExecuteAsync(context, await Activate<SubmitBatchFunction>().RunAsync(context.Request, CancellationToken.None));
    }

    public async Task<HttpReply> GetBatchAsync(string id)
    {
        var context = Request("GET", $"http://localhost:7071/api/jobs:batch/{Uri.EscapeDataString(id)}?code=secret", null);
        return await ExecuteAsync(context, await Activate<GetBatchFunction>().RunAsync(context.Request, id, CancellationToken.None));
    }

    public async Task<HttpReply> VerifyAudioAsync(string body)
    {
        var context = Request("POST", "http://localhost:7071/api/verify?code=secret", body);
        return await ExecuteAsync(context, await Activate<VerifyAudioFunction>().RunAsync(context.Request, CancellationToken.None));
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private static DefaultHttpContext Request(string method, string url, string? body)
    {
        var uri = new Uri(url);
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = uri.Scheme;
        context.Request.Host = new HostString(uri.Authority);
        context.Request.Path = uri.AbsolutePath;
        context.Request.QueryString = new QueryString(uri.Query);
        if (body is not null)
        {
            context.Request.ContentType = "application/json";
            context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        }

        context.Response.Body = new MemoryStream();
        return context;
    }

    private static async Task<HttpReply> ExecuteAsync(DefaultHttpContext context, IActionResult result)
    {
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        var headers = context.Response.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        return new HttpReply(context.Response.StatusCode, Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()), headers);
    }
}

/// <summary>The response an HTTP function produced: status, body, headers.</summary>
public sealed record HttpReply(int StatusCode, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public JsonElement Json => JsonDocument.Parse(Body.Length == 0 ? "null" : Body).RootElement;
}
