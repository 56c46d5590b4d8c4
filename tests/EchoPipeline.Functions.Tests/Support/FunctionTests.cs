using EchoPipeline.Ingest;
using Azure;
using EchoPipeline.Jobs;

namespace EchoPipeline.Functions.Tests.Support;

/// <summary>What the function tests share: the collection's Azurite, media and app, and the ids uploads get.</summary>
public abstract class FunctionTests(PipelineFixture fixture)
{
    protected PipelineFixture Fixture => fixture;

    protected FunctionApp App => fixture.App;

    /// <summary>The job an upload of <paramref name="blobName"/> with <paramref name="etag"/> becomes (upload defaults).</summary>
    protected static JobId UploadJob(string blobName, ETag etag) => UploadJob(blobName, etag.ToString());

    protected static JobId UploadJob(string blobName, string etag) =>
        JobId.Derive(SourceIdentity.ForBlob(StorageNames.VideosContainer, blobName, etag), JobParameters.ForBlobCreated, IngestOptions.DefaultBundleId);

    /// <summary>Every blob of every pipeline container, to show that something touched nothing.</summary>
    protected async Task<IReadOnlyList<string>> SnapshotAsync()
    {
        var all = new List<string>();
        foreach (var container in StorageNames.Containers)
        {
            all.AddRange((await fixture.ListAsync(container)).Select(n => $"{container}/{n}"));
        }

        return all;
    }
}
