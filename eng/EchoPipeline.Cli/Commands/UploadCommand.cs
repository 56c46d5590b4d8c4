using System.CommandLine;
using Azure;
using EchoPipeline.Cli.LocalPipeline;
using EchoPipeline.Ingest;
using EchoPipeline.Jobs;
using Azure.Storage.Blobs;
using EchoPipeline.Jobs.Storage;
using Spectre.Console;

namespace EchoPipeline.Cli.Commands;

/// <summary>
/// `upload FILE...`: puts files into <c>videos</c> of any storage account and prints the job id the ingest derives for
/// each (blob name + ETag, default parameters). With --ingest or --webhook it also delivers the BlobCreated event,
/// for an account without Event Grid.
/// </summary>
internal static class UploadCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("FILE") { Description = "Videos or images to upload.", Arity = ArgumentArity.OneOrMore };
        var storage = new StorageTarget();
        var events = new EventTarget();
        var command = new Command("upload", "Upload files to the videos container and print their job ids.") { files };
        storage.AddTo(command);
        events.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var account = storage.Open(parse);
                using var http = new HttpClient();
                var (delivery, ingest) = events.Open(parse, storage, http);
                await using var ingestHost = ingest;
                var videos = account.Container(StorageNames.VideosContainer);
                var failures = 0;
                foreach (var file in parse.GetValue(files)!)
                {
                    failures += await UploadAsync(videos, file, delivery, parse.GetValue(events.BundleId)!, cancellationToken) ? 0 : 1;
                }

                return failures == 0 ? ExitCodes.Success : ExitCodes.SomeInputsFailed;
            }
            catch (Exception e) when (e is LocalPipelineException || StorageErrors.IsUnreachable(e))
            {
                var error = e as LocalPipelineException ?? StorageErrors.Unreachable(e);
                await Console.Error.WriteLineAsync($"upload: {error.Message}");
                return error.ExitCode;
            }
        });
        return command;
    }

    private static async Task<bool> UploadAsync(BlobContainerClient videos, FileInfo file, EventDelivery? delivery, string bundleId, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = file.OpenRead();
            var info = (await videos.GetBlobClient(file.Name).UploadAsync(stream, BlobUpload.As(ContentTypes.For(file.Name)), cancellationToken)).Value;
            // The id the deployment's ingest will derive with its Ingest:BundleId (--bundle-id).
            var jobId = JobId.Derive(SourceIdentity.ForBlob(StorageNames.VideosContainer, file.Name, info.ETag.ToString()), JobParameters.ForBlobCreated, bundleId);
            if (delivery is not null)
            {
                var answer = await delivery.DeliverAsync(new UploadedBlob(StorageNames.VideosContainer, file.Name, info.ETag.ToString(), file.Length, ContentTypes.For(file.Name)), cancellationToken);
                AnsiConsole.MarkupLineInterpolated($"{file.Name}: job {answer.JobId ?? "none"} {answer.Disposition} {answer.Status} {answer.Message}");
                return answer.JobId is not null;
            }

            AnsiConsole.MarkupLineInterpolated($"{file.Name}: uploaded (ETag {info.ETag}); job {jobId} once its BlobCreated event is handled");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RequestFailedException { Status: > 0 } or HttpRequestException)
        {
            await Console.Error.WriteLineAsync($"upload: {file.FullName}: {e.Message}");
            return false;
        }
    }
}
