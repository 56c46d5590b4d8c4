using System.CommandLine;

namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>
/// Where `upload` and `watch` deliver BlobCreated events for an account without Event Grid: a custom handler's base
/// address (--handler, what `demo` runs) or a Functions host's webhook route (--webhook .../api/events/videos?code=KEY).
/// </summary>
internal sealed class EventTarget
{
    public Option<Uri?> Handler { get; } = new("--handler") { Description = "Custom handler base address, e.g. http://127.0.0.1:PORT/ (posts host-shaped invocations)." };

    public Option<Uri?> Webhook { get; } = new("--webhook") { Description = "Event Grid webhook URL, e.g. http://localhost:7071/api/events/videos?code=KEY." };

    public void AddTo(Command command)
    {
        command.Options.Add(Handler);
        command.Options.Add(Webhook);
    }

    /// <summary>The delivery, or null when neither option was given.</summary>
    public EventDelivery? Open(ParseResult parse, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return (parse.GetValue(Handler), parse.GetValue(Webhook)) switch
        {
            ({ } _, { } _) => throw new LocalPipelineException("give --handler or --webhook, not both.", ExitCodes.UsageError),
            ({ } handler, null) => new EventDelivery(http, handler, customHandler: true),
            (null, { } webhook) => new EventDelivery(http, webhook, customHandler: false),
            _ => null,
        };
    }
}
