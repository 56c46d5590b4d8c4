using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Azure;
using EchoPipeline.Cli.LocalPipeline;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;
using Spectre.Console;

namespace EchoPipeline.Cli.Commands;

/// <summary>`status JOB`: a job's record from <c>jobs/JOB.json</c>; --wait polls until it succeeded or failed.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var job = new Argument<string>("JOB") { Description = "Job id (32 hex digits)." };
        var wait = new Option<bool>("--wait") { Description = "Poll until the job has succeeded or failed." };
        var json = new Option<bool>("--json") { Description = "Print the whole record as JSON." };
        var storage = new StorageTarget();
        var command = new Command("status", "Show a job's status, error, outputs and timings.") { job, wait, json };
        storage.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!JobId.TryParse(parse.GetValue(job), out var id))
            {
                await Console.Error.WriteLineAsync($"status: '{parse.GetValue(job)}' is not a job id (32 hex digits).");
                return ExitCodes.UsageError;
            }

            try
            {
                var store = new JobStore(storage.Open(parse));
                var record = (await store.GetAsync(id, cancellationToken))?.Record;
                while (parse.GetValue(wait) && record is { Status: JobStatus.Queued or JobStatus.Running })
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                    record = (await store.GetAsync(id, cancellationToken))?.Record;
                }

                if (record is null)
                {
                    await Console.Error.WriteLineAsync($"status: there is no job {id} in this account's jobs container.");
                    return ExitCodes.SomeInputsFailed;
                }

                Print(record, parse.GetValue(json));
                return record.Status == JobStatus.Failed ? ExitCodes.SomeInputsFailed : ExitCodes.Success;
            }
            catch (Exception e) when (e is LocalPipelineException || StorageErrors.IsUnreachable(e))
            {
                var error = e as LocalPipelineException ?? StorageErrors.Unreachable(e);
                await Console.Error.WriteLineAsync($"status: {error.Message}");
                return error.ExitCode;
            }
            catch (RequestFailedException e)
            {
                await Console.Error.WriteLineAsync($"status: storage answered {e.Status} ({e.ErrorCode}): check the account and your access to it.");
                return ExitCodes.EnvironmentMissing;
            }
        });
        return command;
    }

    private static void Print(JobRecord record, bool json)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(record, JobJsonContext.Default.JobRecord));
            return;
        }

        AnsiConsole.MarkupLineInterpolated($"job {record.Id}: [bold]{record.Status.ToString().ToLowerInvariant()}[/] ({record.Source.Container}/{record.Source.BlobName})");
        if (record.Error is { } error)
        {
            AnsiConsole.MarkupLineInterpolated($"error {error.Code}: {error.Message}");
        }

        foreach (var uri in (record.Outputs?.Wav ?? []).Concat(record.Outputs?.Spectrogram ?? []).Concat(record.Outputs?.ScoredVideo ?? []))
        {
            AnsiConsole.MarkupLineInterpolated($"output {uri}");
        }

        foreach (var (stage, ms) in record.Timings)
        {
            AnsiConsole.MarkupLineInterpolated($"{stage}: {ms.ToString("0", CultureInfo.InvariantCulture)} ms");
        }
    }
}
