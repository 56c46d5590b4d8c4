using EchoPipeline.Engine.Generation;
using EchoPipeline.Engine.Generation.Continuation;
using EchoPipeline.Jobs;
using EchoPipeline.Media;
using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Worker.Processing;

/// <summary>One generated soundtrack (one variation of one job) and its mel, for the spectrogram.</summary>
internal sealed record GeneratedAudio(float[] Waveform, int SampleRate, GenerationProvenance Provenance, MelSpectrogram Mel);

/// <summary>
/// Runs the jobs of a batch on the engine's soundtrack generation: every variation of every job is a soundtrack, fresh
/// at each cut the ingest found, continued within shots; the windows of all of them share engine batches of up to
/// <see cref="EngineHost.BatchSize"/>. Each window's request carries its own
/// seed, so an output does not depend on its batch-mates. A video's soundtrack is exactly as long as the video; a
/// still image's is one window. Unset sampling parameters are left to the engine,
/// which takes the bundle's defaults for the mode and records what it used in the provenance.
/// </summary>
internal sealed class BatchGenerator(EngineHost engine)
{
    public async Task<IReadOnlyList<IReadOnlyList<GeneratedAudio>>> GenerateAsync(
        IReadOnlyList<(JobRecord Record, JobInputs Inputs)> jobs, CancellationToken cancellationToken)
    {
        var generator = engine.Generator;
        var model = generator.Model;
        foreach (var (record, _) in jobs)
        {
            // The job id was derived for that bundle: another's defaults would give outputs the id does not describe.
            if (record.BundleId is { } bundleId && bundleId != model.BundleId)
            {
                throw new JobFailedException(WorkerErrorCodes.BundleMismatch,
                    $"Job {record.Id} was made for model bundle '{bundleId}' but this worker runs '{model.BundleId}'; submit the input again to get a job for the deployed bundle.");
            }
        }

        // Every variation of every job as a soundtrack (a still image or short video: one window), all through one
        // scheduler, so windows of different shots, variations and jobs share engine batches (a window that continues
        // another still waits for it). A one-window soundtrack is bit for bit the plain generation of its frame.
        var soundtracks = new List<(int Job, SoundtrackRequest Request)>();
        for (var j = 0; j < jobs.Count; j++)
        {
            var (record, inputs) = jobs[j];
            SoundtrackWindow[] windows = inputs.Frames.Count == 1
                ? [new SoundtrackWindow(inputs.Frames[0], 0, StartsShot: true)]
                : Windows(record, inputs, model.Mel.SampleRate, model.SamplesPerAudioColumn, model.AudioColumns);
            soundtracks.AddRange(Variations(record).Select((seed, v) => (j, new SoundtrackRequest(windows, Template(record, seed, v, model.Mel.SampleRate)))));
        }

        // At most B windows per engine batch, variations included: B is what fits the device's memory (one window is one
        // guided generation), and outputs do not depend on how windows are batched.
        var batchSize = engine.BatchSize;
        var generated = await generator.GenerateSoundtracksAsync([.. soundtracks.Select(s => s.Request)], batchSize, cancellationToken).ConfigureAwait(false);
        var results = new IReadOnlyList<GeneratedAudio>[jobs.Count];
        foreach (var group in soundtracks.Select((s, i) => (s.Job, s.Request, Result: generated[i])).GroupBy(r => r.Job))
        {
            results[group.Key] = [.. group.Select(r => new GeneratedAudio(
                r.Result.Waveform, r.Result.SampleRate, r.Result.Provenance,
                SoundtrackMel.Of(model.Mel, model.AudioColumns, [.. r.Result.Windows.Select(w => w.Mel)], r.Result.Placements, r.Request.Template.LengthSamples)))];
        }

        return results;
    }

    /// <summary>
    /// One window per segment, at the segment's start; index 0 and every segment after a cut start a shot, and so does
    /// a segment too far from the previous one to continue it (1..52 columns).
    /// </summary>
    private static SoundtrackWindow[] Windows(JobRecord record, JobInputs inputs, int sampleRate, int columnSamples, int columns)
    {
        var segments = record.Segments.OrderBy(s => s.Index).ToArray();
        if (segments.Length != inputs.Frames.Count)
        {
            throw new JobFailedException(WorkerErrorCodes.RecordInvalid, $"Job {record.Id} has {inputs.Frames.Count} frames for {segments.Length} segments.");
        }

        var windows = new SoundtrackWindow[segments.Length];
        for (var i = 0; i < segments.Length; i++)
        {
            var start = (long)Math.Round(segments[i].StartSeconds * sampleRate);
            if (i == 0 ? start != 0 : start <= windows[i - 1].StartSample)
            {
                throw new JobFailedException(WorkerErrorCodes.RecordInvalid,
                    $"Job {record.Id}'s segment {segments[i].Index} starts at {segments[i].StartSeconds} s; segments start at 0 and then each after the previous one.");
            }

            var advance = i == 0 ? 0 : Math.Round((start - windows[i - 1].StartSample) / (double)columnSamples);
            windows[i] = new SoundtrackWindow(inputs.Frames[i], start, i == 0 || segments[i].StartsShot || advance < 1 || advance >= columns);
        }

        return windows;
    }

    /// <summary>Variation v uses seed + v (JobParameters: "seed, seed+1, ...").</summary>
    private static IEnumerable<long> Variations(JobRecord record)
    {
        var seed = record.Parameters.ResolveSeed(record.Id);
        return Enumerable.Range(0, record.Parameters.Variations ?? 1).Select(v => seed + v);
    }

    /// <summary>
    /// Variation v's request; its watermark carries the job id's first 7 hex digits and v. A video's soundtrack is cut
    /// to the video's duration; a still image (no duration) gets the whole window.
    /// </summary>
    private static EchoRequest Template(JobRecord record, long seed, int variation, int sampleRate) => new()
    {
        Mode = GenerationMode.ImageToAudio,
        Seed = seed,
        WatermarkPayload = WatermarkPayload.ForJob(record.Id.Value, variation),
        Steps = record.Parameters.Steps,
        Temperature = record.Parameters.Temperature,
        Guidance = record.Parameters.Guidance is { } g ? (float)g : null,
        LengthSamples = record.Media is { Kind: "video", DurationSeconds: > 0 and var seconds } ? Math.Max(1, (long)Math.Round(seconds * sampleRate)) : null,
    };
}
