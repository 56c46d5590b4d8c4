using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace EchoPipeline.Functions.Tests.Support;

/// <summary>A loopback HTTP server standing in for a public site that hosts a video.</summary>
public sealed class SourceServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SourceServer(WebApplication app, Uri baseAddress, ConcurrentQueue<string> requests) =>
        (_app, BaseAddress, Requests) = (app, baseAddress, requests);

    public Uri BaseAddress { get; }

    /// <summary>Every request's path, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; }

    public static async Task<SourceServer> StartAsync(IReadOnlyDictionary<string, byte[]> files)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var requests = new ConcurrentQueue<string>();
        app.Use((context, next) =>
        {
            requests.Enqueue(context.Request.Path.Value ?? "");
            return next(context);
        });
        IResult Serve(string name) => files.TryGetValue(name, out var bytes) ? Results.Bytes(bytes, "video/mp4") : Results.NotFound();
        app.MapGet("/files/{name}", Serve);
        app.MapGet("/redirect/{name}", (string name) => Results.Redirect($"/files/{name}"));
        // 503 to the first request for a name, the file afterwards: a site that hiccups once.
        var answered = new ConcurrentDictionary<string, int>();
        app.MapGet("/flaky/{name}", (string name) => answered.AddOrUpdate(name, 1, (_, n) => n + 1) == 1 ? Results.StatusCode(503) : Serve(name));
        app.MapGet("/status/{code:int}", (int code) => Results.StatusCode(code));
        // Headers at once, then a byte every 100 ms for ever: a download that only times the headers never ends.
        app.MapGet("/drip", async (HttpContext context) =>
        {
            context.Response.ContentType = "video/mp4";
            await context.Response.StartAsync(context.RequestAborted);
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.Body.WriteAsync(new byte[1], context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(100, context.RequestAborted);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new SourceServer(app, new Uri(address), requests);
    }

    public Uri Url(string path) => new(BaseAddress, path);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
