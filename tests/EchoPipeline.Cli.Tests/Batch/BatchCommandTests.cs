using System.Security.Cryptography;
using System.Text.Json;
using EchoPipeline.Cli.Batch;
using EchoPipeline.Engine.Audio;
using EchoPipeline.Testing;

namespace EchoPipeline.Cli.Tests.Batch;

/// <summary>`batch` through the real local pipeline: the dataset it writes, the files beside it, and a rerun that finds everything done.</summary>
[Collection(BatchRunTests.Name)]
public sealed class BatchCommandTests(BatchRunFixture run)
{
    [Fact]
    public void Exits_1_because_some_rows_failed_and_the_dataset_has_a_line_per_row_and_variation_in_manifest_order()
    {
        var rows = Rows();

        Assert.Equal(ExitCodes.SomeInputsFailed, run.ExitCode);
        Assert.Equal(10, rows.Count);
        Assert.Equal([1, 1, 2, 2, 3, 3, 4, 4, 5, 5], rows.Select(r => r.GetProperty("row").GetInt32()));
        Assert.Equal([0, 1, 0, 1, 0, 1, 0, 1, 0, 1], rows.Select(r => r.GetProperty("variation").GetInt32()));
        Assert.Equal(BatchRunFixture.QuotedStill, rows[2].GetProperty("input").GetString());
    }

    [Fact]
    public async Task Succeeded_rows_point_at_their_wav_with_its_hash_duration_seed_parameters_and_bundle()
    {
        var bundleSha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Root, "models", "echo-demo", "bundle.json"))));
        var succeeded = Rows().Where(r => r.GetProperty("status").GetString() == "succeeded").ToList();

        Assert.Equal(4, succeeded.Count);
        foreach (var row in succeeded)
        {
            var input = Path.Combine(run.InputFolder, row.GetProperty("input").GetString()!);
            var inputSha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(input)));
            var path = Path.Combine(run.OutFolder, row.GetProperty("output").GetString()!);
            var bytes = await File.ReadAllBytesAsync(path);
            var wav = WavReader.Decode(bytes);

            Assert.StartsWith(Path.Combine(run.OutFolder, "audio") + Path.DirectorySeparatorChar, Path.GetFullPath(path), StringComparison.Ordinal);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), row.GetProperty("wavSha256").GetString());
            Assert.Equal((double)wav.Samples.Length / wav.SampleRate, row.GetProperty("durationSeconds").GetDouble(), 5);
            Assert.Equal(inputSha, row.GetProperty("inputSha256").GetString());
            Assert.Equal(BatchJobs.BaseSeed(0, inputSha) + row.GetProperty("variation").GetInt32(), row.GetProperty("seed").GetInt64());
            Assert.Equal(2, row.GetProperty("steps").GetInt32());
            Assert.True(row.GetProperty("temperature").GetDouble() > 0);
            Assert.Equal("echo-demo-3", row.GetProperty("bundleId").GetString());
            Assert.Equal(bundleSha, row.GetProperty("bundleSha256").GetString());
            Assert.Contains($"job={row.GetProperty("jobId").GetString()}", wav.Info["ICMT"], StringComparison.Ordinal);
            Assert.False(row.TryGetProperty("error", out _));
        }

        Assert.Equal(4, succeeded.Select(r => r.GetProperty("wavSha256").GetString()).Distinct().Count());
        Assert.Equal(4, succeeded.Select(r => r.GetProperty("seed").GetInt64()).Distinct().Count());
    }

    [Fact]
    public void Hostile_rows_are_failed_rows_with_their_codes_and_nothing_is_written_outside_the_output_folder()
    {
        var failed = Rows().Where(r => r.GetProperty("status").GetString() == "failed")
            .GroupBy(r => r.GetProperty("input").GetString()!)
            .ToDictionary(g => g.Key, g => g.Select(r => r.GetProperty("error").GetProperty("code").GetString()).Distinct().Single());

        Assert.Equal(BatchErrorCodes.InputOutsideManifest, failed[BatchRunFixture.Outside]);
        Assert.Equal(BatchErrorCodes.InputMissing, failed[BatchRunFixture.Missing]);
        Assert.Equal("not_media", failed[BatchRunFixture.NotMedia]);
        Assert.All(Directory.EnumerateFiles(run.OutFolder, "*", SearchOption.AllDirectories),
            f => Assert.StartsWith(run.OutFolder + Path.DirectorySeparatorChar, Path.GetFullPath(f), StringComparison.Ordinal));
    }

    [Fact]
    public void A_rerun_with_the_same_arguments_generates_nothing_and_leaves_the_dataset_byte_identical()
    {
        Assert.Equal(run.Dataset, run.RerunDataset);
        Assert.Equal(ExitCodes.SomeInputsFailed, run.RerunExitCode);
        Assert.Contains("0 generated", run.RerunOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("starting the pipeline", run.RerunOutput, StringComparison.Ordinal);
        Assert.All(run.FilesAfterFirstRun, f => Assert.Equal(f.Value, File.GetLastWriteTimeUtc(f.Key)));
    }

    private List<JsonElement> Rows() =>
        [.. System.Text.Encoding.UTF8.GetString(run.Dataset).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];
}
