using System.Security.Cryptography;
using System.Text.Json;
using EchoPipeline.Cli.LocalPipeline;
using EchoPipeline.Jobs;
using EchoPipeline.Testing;

namespace EchoPipeline.Cli.Tests.Batch;

/// <summary>`batch` against an account whose pipeline runs elsewhere (here a local one standing in for a deployment).</summary>
public sealed class BatchRemoteTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("echopipe-remote-batch-").FullName;

    [Fact]
    public async Task With_a_connection_string_the_jobs_run_on_that_accounts_workers_and_the_dataset_names_their_blob_urls()
    {
        await using var deployment = await LocalPipelineHost.StartAsync(1, Path.Combine(RepoPaths.Root, "models", "echo-demo"), null, CancellationToken.None);
        var inputs = Directory.CreateDirectory(Path.Combine(_root, "inputs")).FullName;
        File.Copy(Path.Combine(RepoPaths.Root, "samples", "images", "gradient.png"), Path.Combine(inputs, "gradient.png"));
        var output = Path.Combine(_root, "out");

        var exit = await CliApp.RunAsync(["batch", "--inputs", inputs, "--out", output, "--variations", "2", "--steps", "2", "--connection-string", deployment.ConnectionString]);

        var rows = (await File.ReadAllLinesAsync(Path.Combine(output, "dataset.jsonl"))).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(2, rows.Count);
        foreach (var row in rows)
        {
            var url = new Uri(row.GetProperty("output").GetString()!);
            Assert.StartsWith(deployment.Storage.Container(StorageNames.AudioContainer).Uri.AbsoluteUri + "/", url.AbsoluteUri, StringComparison.Ordinal);
            var blob = (await deployment.Storage.Container(StorageNames.AudioContainer).GetBlobClient(string.Concat(url.Segments[^2..])).DownloadContentAsync()).Value.Content.ToArray();
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(blob)), row.GetProperty("wavSha256").GetString());
            var job = (await new EchoPipeline.Jobs.Storage.JobStore(deployment.Storage).GetAsync(JobId.Parse(row.GetProperty("jobId").GetString()!)))!.Record;
            Assert.Equal(JobStatus.Succeeded, job.Status);
            Assert.Equal(row.GetProperty("seed").GetInt64(), job.Parameters.Seed + row.GetProperty("variation").GetInt32());
        }

        Assert.False(Directory.Exists(Path.Combine(output, "audio")), "a deployed pipeline's WAVs stay in its account");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
