using System.CommandLine;
using Azure;
using EchoPipeline.Cli.LocalPipeline;
using EchoPipeline.Jobs;
using Spectre.Console;

namespace EchoPipeline.Cli.Commands;

/// <summary>
/// `watch [CONTAINER]`: local event delivery for an account without Event Grid. Polls the container listing and
/// delivers a BlobCreated event per new blob version to the in-process ingest (--ingest) or a webhook, until Ctrl-C.
/// </summary>
internal static class WatchCommand
{
    public static Command Create()
    {
        var container = new Argument<string>("CONTAINER") { Description = "Container to watch.", DefaultValueFactory = _ => StorageNames.VideosContainer };
        var interval = new Option<double>("--interval") { Description = "Seconds between listings.", DefaultValueFactory = _ => 2 };
        var existing = new Option<bool>("--include-existing") { Description = "Also deliver the blobs already there at start." };
        var storage = new StorageTarget();
        var events = new EventTarget();
        var command = new Command("watch", "Deliver BlobCreated events for new blobs (for accounts without Event Grid).") { container, interval, existing };
        storage.AddTo(command);
        events.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                using var http = new HttpClient();
                var account = storage.Open(parse);
                var (delivery, ingest) = events.Open(parse, storage, http);
                await using var ingestHost = ingest;
                var watcher = new ContainerWatcher(account, parse.GetValue(container)!,
                    delivery ?? throw new LocalPipelineException("say where to deliver events: --ingest, or --webhook URL.", ExitCodes.UsageError));
                if (!parse.GetValue(existing))
                {
                    await watcher.SkipExistingAsync(cancellationToken);
                }

                AnsiConsole.MarkupLineInterpolated($"watching {parse.GetValue(container)}; Ctrl-C stops");
                await WatchAsync(watcher, TimeSpan.FromSeconds(Math.Max(0.2, parse.GetValue(interval))), cancellationToken);
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is LocalPipelineException || StorageErrors.IsUnreachable(e))
            {
                var error = e as LocalPipelineException ?? StorageErrors.Unreachable(e);
                await Console.Error.WriteLineAsync($"watch: {error.Message}");
                return error.ExitCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Success;
            }
        });
        return command;
    }

    private static async Task WatchAsync(ContainerWatcher watcher, TimeSpan interval, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                foreach (var (blob, job) in await watcher.PollAsync(cancellationToken))
                {
                    AnsiConsole.MarkupLineInterpolated($"{blob}: job {job.JobId ?? "none"} {job.Disposition} {job.Status} {job.Message}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or RequestFailedException || StorageErrors.IsUnreachable(e))
            {
                // The webhook or the account is unreachable for now; keep watching, the event is retried.
                AnsiConsole.MarkupLineInterpolated($"[yellow]delivery failed, retrying: {e.Message}[/]");
            }

            await Task.Delay(interval, cancellationToken);
        }
    }
}
