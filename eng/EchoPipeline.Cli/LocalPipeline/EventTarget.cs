using System.CommandLine;

namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>
/// Where `upload` and `watch` deliver BlobCreated events for an account without Event Grid: a custom handler's base
/// address (--handler, what `demo` runs) or a Functions host's webhook route (--webhook .../api/events/videos?code=KEY).
/// </summary>
internal sealed class EventTarget
{
    public Option<string?> Handler { get; } = new("--handler") { Description = "Custom handler base address, e.g. http://127.0.0.1:PORT/ (posts host-shaped invocations)." };

    public Option<string?> Webhook { get; } = new("--webhook") { Description = "Event Grid webhook URL, e.g. http://localhost:7071/api/events/videos?code=KEY." };

    public void AddTo(Command command)
    {
        command.Options.Add(Handler);
        command.Options.Add(Webhook);
    }

    /// <summary>The delivery, or null when neither option was given.</summary>
    public EventDelivery? Open(ParseResult parse, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return (AbsoluteUri(parse.GetValue(Handler), "--handler"), AbsoluteUri(parse.GetValue(Webhook), "--webhook")) switch
        {
            ({ } _, { } _) => throw new LocalPipelineException("give --handler or --webhook, not both.", ExitCodes.UsageError),
            ({ } handler, null) => new EventDelivery(http, handler, customHandler: true),
            (null, { } webhook) => new EventDelivery(http, webhook, customHandler: false),
            _ => null,
        };
    }

    /// <summary>System.CommandLine has no Uri parser; an http(s) URL or a usage error naming the option.</summary>
    internal static Uri? AbsoluteUri(string? text, string option) => text switch
    {
        null => null,
        _ when Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" => uri,
        _ => throw new LocalPipelineException($"{option} must be an http(s) URL, not '{text}'.", ExitCodes.UsageError),
    };
}
