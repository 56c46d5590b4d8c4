using EchoPipeline.Cli.Batch;
using EchoPipeline.Jobs;

namespace EchoPipeline.Cli.Tests.Batch;

/// <summary>Seeds and job ids of a row: distinct per variation, the same on every run, split over jobs the worker accepts.</summary>
public sealed class BatchJobsTests
{
    private const string InputA = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private const string InputB = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Fact]
    public void Twenty_variations_become_jobs_of_at_most_eight_whose_seeds_continue_one_another()
    {
        var jobs = BatchJobs.Plan(InputA, batchSeed: 7, variations: 20, steps: 4, temperature: null, guidance: 2, "echo-demo");
        var seed = BatchJobs.BaseSeed(7, InputA);

        Assert.Equal([0, 8, 16], jobs.Select(j => j.FirstVariation));
        Assert.Equal([8, 8, 4], jobs.Select(j => j.Parameters.Variations!.Value));
        Assert.Equal([seed, seed + 8, seed + 16], jobs.Select(j => j.Parameters.Seed!.Value));
        Assert.Equal(3, jobs.Select(j => j.Id).Distinct().Count());
        Assert.All(jobs, j => Assert.Empty(j.Parameters.Validate()));
        Assert.All(jobs, j => Assert.Equal([JobOutputs.Wav], j.Parameters.Outputs!));
    }

    [Fact]
    public void Job_ids_are_the_pipelines_content_addressed_ids_and_repeat_on_every_plan()
    {
        var first = BatchJobs.Plan(InputA, 0, 2, 4, null, null, "echo-demo");
        var again = BatchJobs.Plan(InputA, 0, 2, 4, null, null, "echo-demo");

        Assert.Equal(first.Select(j => j.Id), again.Select(j => j.Id));
        Assert.Equal(JobId.Derive(SourceIdentity.ForContent(InputA), first[0].Parameters, "echo-demo"), first[0].Id);
    }

    [Fact]
    public void The_base_seed_depends_on_the_batch_seed_and_the_content_and_stays_a_valid_seed_for_every_variation()
    {
        var seeds = new[] { BatchJobs.BaseSeed(0, InputA), BatchJobs.BaseSeed(1, InputA), BatchJobs.BaseSeed(0, InputB) };

        Assert.Equal(3, seeds.Distinct().Count());
        Assert.Equal(seeds[0], BatchJobs.BaseSeed(0, InputA));
        Assert.All(seeds, s => Assert.InRange(s + BatchJobs.MaxVariations - 1, 0, uint.MaxValue));
        Assert.NotEqual(BatchJobs.Plan(InputA, 0, 1, 4, null, null, "echo-demo")[0].Id, BatchJobs.Plan(InputA, 0, 1, 5, null, null, "echo-demo")[0].Id);
    }
}
