using EchoPipeline.Engine.Generation;
using EchoPipeline.Jobs;
using EchoPipeline.Media;
using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Worker.Processing;

/// <summary>One generated soundtrack (one variation of one job) and its mel, for the spectrogram.</summary>
internal sealed record GeneratedAudio(float[] Waveform, int SampleRate, GenerationProvenance Provenance, MelSpectrogram Mel);

/// <summary>
/// Runs the jobs of a batch on the engine: every variation of every single-window job as one engine batch
/// (each request carries its own seed, so an output does not depend on its batch-mates); multi-window jobs through
/// the engine's continuation, window after window.
/// </summary>
internal sealed class BatchGenerator(EngineHost engine)
{
    public async Task<IReadOnlyList<IReadOnlyList<GeneratedAudio>>> GenerateAsync(
        IReadOnlyList<(JobRecord Record, JobInputs Inputs)> jobs, CancellationToken cancellationToken)
    {
        var generator = engine.Generator;
        var results = new IReadOnlyList<GeneratedAudio>[jobs.Count];
        var single = new List<(int Job, EchoRequest Request)>();
        for (var j = 0; j < jobs.Count; j++)
        {
            var (record, inputs) = jobs[j];
            if (inputs.Frames.Count == 1)
            {
                single.AddRange(Variations(record).Select((seed, v) => (j, Template(record, seed, v) with { Image = inputs.Frames[0] })));
            }
        }

        if (single.Count > 0)
        {
            var generated = await generator.GenerateAsync([.. single.Select(s => s.Request)], cancellationToken).ConfigureAwait(false);
            foreach (var group in single.Select((s, i) => (s.Job, Result: generated[i])).GroupBy(r => r.Job))
            {
                results[group.Key] = [.. group.Select(r => new GeneratedAudio(
                    r.Result.Waveform!, r.Result.SampleRate, r.Result.Provenance, SoundtrackMel.Of(generator.Model.Mel, generator.Model.AudioColumns, [r.Result.Mel], contextColumns: 0)))];
            }
        }

        for (var j = 0; j < jobs.Count; j++)
        {
            var (record, inputs) = jobs[j];
            if (inputs.Frames.Count > 1)
            {
                var variations = new List<GeneratedAudio>();
                foreach (var (seed, v) in Variations(record).Select((seed, v) => (seed, v)))
                {
                    var result = await generator.GenerateLongAsync(inputs.Frames, Template(record, seed, v), cancellationToken: cancellationToken).ConfigureAwait(false);
                    variations.Add(new GeneratedAudio(
                        result.Waveform, result.SampleRate, result.Provenance, SoundtrackMel.Of(generator.Model.Mel, generator.Model.AudioColumns, [.. result.Windows.Select(w => w.Mel)], result.ContextColumns)));
                }

                results[j] = variations;
            }
        }

        return results;
    }

    /// <summary>Variation v uses seed + v (JobParameters: "seed, seed+1, ...").</summary>
    private static IEnumerable<long> Variations(JobRecord record)
    {
        var seed = record.Parameters.ResolveSeed(record.Id);
        return Enumerable.Range(0, record.Parameters.Variations ?? 1).Select(v => seed + v);
    }

    /// <summary>Variation v's request; its watermark carries the job id's first 7 hex digits and v.</summary>
    private static EchoRequest Template(JobRecord record, long seed, int variation) => new()
    {
        Mode = GenerationMode.ImageToAudio,
        Seed = seed,
        WatermarkPayload = WatermarkPayload.ForJob(record.Id.Value, variation),
        Steps = record.Parameters.Steps,
        Temperature = record.Parameters.Temperature,
        Guidance = record.Parameters.Guidance is { } g ? (float)g : null,
    };
}
