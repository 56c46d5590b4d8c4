using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EchoPipeline.Jobs;

namespace EchoPipeline.Cli.Batch;

/// <summary>One pipeline job of a row: variations <see cref="FirstVariation"/> onwards, <see cref="Parameters"/>.Variations of them.</summary>
internal sealed record PlannedJob(JobId Id, int FirstVariation, JobParameters Parameters);

/// <summary>
/// How a row's K variations become jobs. Variation v of an input gets seed S + v, where S is derived from the batch's
/// base seed and the input's content hash, so the seeds are distinct per variation, the same on every rerun and
/// independent of the file's name or place in the manifest. The worker generates a job's variations from its seed
/// upwards (seed, seed+1, ...), so each job of up to <see cref="JobParameters.MaxVariations"/> variations starts at
/// S + its first variation. Job ids derive from the content hash, those parameters and the id of the bundle the
/// workers run (<see cref="JobId.Derive"/>):
/// the same row always names the same jobs, which is what makes a rerun find its work done.
/// </summary>
internal static class BatchJobs
{
    /// <summary>Most variations per row, so that S + v stays a valid seed.</summary>
    public const int MaxVariations = 4096;

    public static long BaseSeed(long batchSeed, string inputSha256)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"echo-batch-seed/v1\n{batchSeed}\n{inputSha256}");
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        // Below 2^32 - MaxVariations, so S + v never passes the largest seed a job accepts.
        return (long)(BinaryPrimitives.ReadUInt32BigEndian(hash) % ((1UL << 32) - MaxVariations));
    }

    public static IReadOnlyList<PlannedJob> Plan(string inputSha256, long batchSeed, int variations, int? steps, double? temperature, double? guidance, string bundleId)
    {
        var seed = BaseSeed(batchSeed, inputSha256);
        var source = SourceIdentity.ForContent(inputSha256);
        var jobs = new List<PlannedJob>();
        for (var first = 0; first < variations; first += JobParameters.MaxVariations)
        {
            var parameters = new JobParameters
            {
                Steps = steps, Temperature = temperature, Guidance = guidance, Seed = seed + first,
                Variations = Math.Min(JobParameters.MaxVariations, variations - first), Outputs = [JobOutputs.Wav],
            }.Normalize();
            jobs.Add(new PlannedJob(JobId.Derive(source, parameters, bundleId), first, parameters));
        }

        return jobs;
    }
}
