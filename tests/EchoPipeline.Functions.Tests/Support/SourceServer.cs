using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace EchoPipeline.Functions.Tests.Support;

/// <summary>A loopback HTTP server standing in for a public site that hosts a video.</summary>
public sealed class SourceServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SourceServer(WebApplication app, Uri baseAddress) => (_app, BaseAddress) = (app, baseAddress);

    public Uri BaseAddress { get; }

    public static async Task<SourceServer> StartAsync(IReadOnlyDictionary<string, byte[]> files)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/files/{name}", (string name) =>
            files.TryGetValue(name, out var bytes) ? Results.Bytes(bytes, "video/mp4") : Results.NotFound());
        app.MapGet("/redirect/{name}", (string name) => Results.Redirect($"/files/{name}"));
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
        return new SourceServer(app, new Uri(address));
    }

    public Uri Url(string path) => new(BaseAddress, path);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
