using System.CommandLine;
using EchoPipeline.Ingest;

namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>
/// Where `upload` and `watch` deliver BlobCreated events for an account without Event Grid: the ingest in this process
/// (--ingest; the same code the Functions app runs, what `demo` does), or a running Functions host's blobs extension
/// webhook (--webhook), which is what Event Grid posts to in Azure.
/// </summary>
internal sealed class EventTarget
{
    public Option<bool> Ingest { get; } = new("--ingest") { Description = "Run the ingest in this process (needs ffmpeg, and blob and queue access to the account)." };

    public Option<string?> Webhook { get; } = new("--webhook")
    {
        Description = "Post Event Grid events to a Functions host, e.g. http://localhost:7071/runtime/webhooks/blobs?functionName=Host.Functions.OnVideoUploaded.",
    };

    public Option<string> BundleId { get; } = new("--bundle-id")
    {
        Description = "Id of the model bundle the account's workers run: job ids name it (the ingest's Ingest:BundleId).",
        DefaultValueFactory = _ => IngestOptions.DefaultBundleId,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Ingest);
        command.Options.Add(Webhook);
        command.Options.Add(BundleId);
    }

    /// <summary>The delivery (and the in-process ingest to dispose after it), or null when neither option was given.</summary>
    public (EventDelivery? Delivery, LocalIngest? Ingest) Open(ParseResult parse, StorageTarget storage, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(storage);
        var webhook = AbsoluteUri(parse.GetValue(Webhook), "--webhook");
        switch (parse.GetValue(Ingest), webhook)
        {
            case (true, { }):
                throw new LocalPipelineException("give --ingest or --webhook, not both.", ExitCodes.UsageError);
            case (true, null):
                var ingest = LocalIngest.Start(storage.Options(parse), parse.GetValue(BundleId));
                return (ingest.Delivery, ingest);
            case (false, { } target):
                return (new WebhookDelivery(http, target, storage.Open(parse).Blobs.Uri, parse.GetValue(BundleId)!, TimeProvider.System), null);
            default:
                return (null, null);
        }
    }

    /// <summary>System.CommandLine has no Uri parser; an http(s) URL or a usage error naming the option.</summary>
    internal static Uri? AbsoluteUri(string? text, string option) => text switch
    {
        null => null,
        _ when Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" => uri,
        _ => throw new LocalPipelineException($"{option} must be an http(s) URL, not '{text}'.", ExitCodes.UsageError),
    };
}
