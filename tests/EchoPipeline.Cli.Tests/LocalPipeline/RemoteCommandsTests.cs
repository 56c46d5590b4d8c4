using EchoPipeline.Ingest;
using EchoPipeline.Cli.LocalPipeline;
using EchoPipeline.Jobs;
using EchoPipeline.Testing;

namespace EchoPipeline.Cli.Tests.LocalPipeline;

/// <summary>`upload` and `status` as a user runs them against an account (here the local pipeline's Azurite + worker; the ingest in-process).</summary>
public sealed class RemoteCommandsTests
{
    [Fact]
    public async Task Upload_with_in_process_ingest_makes_the_job_whose_id_status_follows_to_success()
    {
        await using var host = await LocalPipelineHost.StartAsync(1, RepoPaths.Fixture("bundles", "tiny"), null, CancellationToken.None);
        var clip = Path.Combine(RepoPaths.Root, "samples", "videos", "red-stripes.mp4");

        // The workers run the tiny bundle: the in-process ingest must derive job ids for it.
        var uploaded = await CliApp.RunAsync(["upload", clip, "--connection-string", host.ConnectionString, "--ingest", "--bundle-id", "tiny-test"]);
        Assert.Equal(ExitCodes.Success, uploaded);
        var etag = (await host.Storage.Container("videos").GetBlobClient("red-stripes.mp4").GetPropertiesAsync()).Value.ETag;
        var jobId = JobId.Derive(SourceIdentity.ForBlob("videos", "red-stripes.mp4", etag.ToString()), JobParameters.ForBlobCreated, "tiny-test");
        var status = await CliApp.RunAsync(["status", jobId.Value, "--wait", "--connection-string", host.ConnectionString]);
        var unknown = await CliApp.RunAsync(["status", new string('0', 32), "--connection-string", host.ConnectionString]);

        Assert.Equal(ExitCodes.Success, uploaded);
        Assert.Equal(ExitCodes.Success, status);
        Assert.Equal(JobStatus.Succeeded, (await new EchoPipeline.Jobs.Storage.JobStore(host.Storage).GetAsync(jobId))!.Record.Status);
        Assert.Equal(ExitCodes.SomeInputsFailed, unknown);
    }

    [Fact]
    public async Task Without_an_account_the_commands_say_which_option_is_missing()
    {
        Environment.SetEnvironmentVariable(StorageTarget.ConnectionStringVariable, null);

        Assert.Equal(ExitCodes.UsageError, await CliApp.RunAsync(["status", new string('a', 32)]));
        Assert.Equal(ExitCodes.UsageError, await CliApp.RunAsync(["watch", "videos", "--webhook", "http://127.0.0.1:1/"]));
        Assert.Equal(ExitCodes.UsageError, await CliApp.RunAsync(["upload", "clip.mp4", "--connection-string", "UseDevelopmentStorage=true", "--ingest", "--webhook", "http://127.0.0.1:1/"]));
        Assert.Equal(ExitCodes.UsageError, await CliApp.RunAsync(["status", "not-a-job"]));
    }
}
