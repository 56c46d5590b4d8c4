using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs.Models;
using EchoPipeline.Functions.Tests.Support;
using EchoPipeline.Ingest;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Storage;

namespace EchoPipeline.Functions.Tests.Ingest;

/// <summary>Inputs a client staged under their hash (what `echopipe batch` does): the job's identity is the content.</summary>
[Collection(PipelineTests.Name)]
public class StagedIngestTests(PipelineFixture fixture) : FunctionTests(fixture)
{
    private IngestService Ingest => App.Services.GetRequiredService<IngestService>();

    [Fact]
    public async Task Bytes_staged_under_their_hash_become_the_content_addressed_job_and_a_second_ingest_finds_it()
    {
        await Fixture.ClearQueueAsync();
        var sha = await StageAsync(Fixture.Media.Still, name: null);
        var parameters = new JobParameters { Steps = 3, Seed = 11, Variations = 2, Outputs = [JobOutputs.Wav] };

        var first = await Ingest.IngestStagedAsync(sha, parameters, CancellationToken.None);
        var again = await Ingest.IngestStagedAsync(sha, parameters, CancellationToken.None);

        var id = JobId.Derive(SourceIdentity.ForContent(sha), parameters.Normalize(), IngestOptions.DefaultBundleId);
        Assert.Equal((id, JobStatus.Queued, IngestDisposition.Created), (first.Job!.Id, first.Job.Status, first.Disposition));
        Assert.Equal((id, IngestDisposition.Existing), (again.Job!.Id, again.Disposition));
        Assert.Equal(sha, first.Job.Source.ContentSha256);
        Assert.Equal(IngestService.StagedBlobName(sha), first.Job.Source.BlobName);
        Assert.Single(first.Job.Segments);
        Assert.Equal(JobMessage.For(id), Assert.Single(await Fixture.QueuedMessagesAsync()));
    }

    [Fact]
    public async Task Bytes_that_do_not_hash_to_their_name_fail_the_job_as_changed_and_enqueue_nothing()
    {
        await Fixture.ClearQueueAsync();
        var claimed = Convert.ToHexStringLower(SHA256.HashData("something else"u8));
        await StageAsync(Fixture.Media.Still, name: claimed);

        var outcome = await Ingest.IngestStagedAsync(claimed, new JobParameters { Steps = 3 }, CancellationToken.None);

        Assert.Equal(JobStatus.Failed, outcome.Job!.Status);
        Assert.Equal(JobErrorCodes.SourceChanged, outcome.Job.Error!.Code);
        Assert.Empty(await Fixture.QueuedMessagesAsync());
    }

    [Fact]
    public async Task An_upload_event_for_a_staged_blob_starts_no_second_job()
    {
        var sha = await StageAsync(Fixture.Media.ShortClip, name: null);

        var outcome = await Ingest.IngestUploadAsync(Fixture.Container(StorageNames.VideosContainer).GetBlobClient(IngestService.StagedBlobName(sha)), CancellationToken.None);

        Assert.Equal(IngestDisposition.Skipped, outcome.Disposition);
    }

    /// <summary>Stages the file as the CLI does (If-None-Match, the submitted marker) under its hash or <paramref name="name"/>.</summary>
    private async Task<string> StageAsync(string path, string? name)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path)));
        await Fixture.Container(StorageNames.VideosContainer).CreateIfNotExistsAsync();
        var blob = Fixture.Container(StorageNames.VideosContainer).GetBlobClient(IngestService.StagedBlobName(name ?? sha));
        var options = BlobUpload.As("application/octet-stream", new BlobRequestConditions { IfNoneMatch = ETag.All },
            new Dictionary<string, string> { [IngestService.IngestMetadataKey] = IngestService.SubmittedMarker });
        try
        {
            await using var file = File.OpenRead(path);
            await blob.UploadAsync(file, options);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Staged by another test of this collection.
        }

        return name ?? sha;
    }
}
