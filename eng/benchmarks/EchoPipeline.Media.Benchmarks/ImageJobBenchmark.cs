using System.Diagnostics;
using EchoPipeline.Engine.Audio;

namespace EchoPipeline.Media.Benchmarks;

/// <summary>
/// What an image job costs besides the model: its frame PNG (ingest), its WAV and its spectrogram PNG (worker). The old
/// way, as the code did it before FFMpegCore and ImageSharp, ran one ffmpeg process per picture (the frame piped in
/// as rawvideo; showspectrumpic on the WAV written to disk); the new way encodes both pictures in-process, the
/// spectrogram from the mel the engine has already computed. Figures are CPU time (this process plus the ffmpeg
/// children it waited for) per job, over a run of jobs after warm-up jobs; the target is under 50 ms for the new way.
/// </summary>
internal static class ImageJobBenchmark
{
    private const int WarmUp = 3;

    public static void Run(int jobs)
    {
        var work = Directory.CreateTempSubdirectory("echopipeline-bench-image-job-").FullName;
        try
        {
            var inputs = Inputs();
            Figures.Print("image_job_jobs", jobs);
            var coldNew = Measure(1, () => NewWay(inputs));
            var old = Measure(jobs, () => OldWay(inputs, work), WarmUp);
            var current = Measure(jobs, () => NewWay(inputs), WarmUp);
            Figures.Print("image_job_old_cpu_ms_per_job", old.CpuMs);
            Figures.Print("image_job_old_wall_ms_per_job", old.WallMs);
            Figures.Print("image_job_new_cpu_ms_per_job", current.CpuMs);
            Figures.Print("image_job_new_wall_ms_per_job", current.WallMs);
            Figures.Print("image_job_new_first_job_cpu_ms", coldNew.CpuMs);
            Figures.Print("image_job_cpu_ratio_old_to_new", old.CpuMs / current.CpuMs);
            Figures.Print("image_job_new_frame_png_bytes", FramePng.Encode(inputs.Frame).Length);
            Figures.Print("image_job_new_spectrogram_png_bytes", SpectrogramImage.RenderPng(inputs.Mel).Length);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static (double CpuMs, double WallMs) Measure(int jobs, Action job, int warmUp = 0)
    {
        for (var i = 0; i < warmUp; i++)
        {
            job();
        }

        var (cpu, wall) = (CpuClock.Now(), Stopwatch.StartNew());
        for (var i = 0; i < jobs; i++)
        {
            job();
        }

        return ((CpuClock.Now() - cpu).TotalMilliseconds / jobs, wall.Elapsed.TotalMilliseconds / jobs);
    }

    private static void NewWay(JobInputs inputs)
    {
        Consume(FramePng.Encode(inputs.Frame));
        Consume(WavWriter.Encode(inputs.Waveform, inputs.SampleRate, inputs.Info));
        Consume(SpectrogramImage.RenderPng(inputs.Mel));
    }

    private static void OldWay(JobInputs inputs, string work)
    {
        Consume(Ffmpeg(["-v", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-video_size", "256x256", "-i", "pipe:0",
            "-frames:v", "1", "-c:v", "png", "-f", "image2pipe", "pipe:1"], inputs.Frame.Rgb24.ToArray()));
        var wav = WavWriter.Encode(inputs.Waveform, inputs.SampleRate, inputs.Info);
        var wavPath = Path.Combine(work, "00.wav");
        File.WriteAllBytes(wavPath, wav);
        Consume(Ffmpeg(["-v", "error", "-i", "file:" + wavPath, "-lavfi", "showspectrumpic=s=1024x512:legend=0",
            "-frames:v", "1", "-c:v", "png", "-f", "image2pipe", "pipe:1"], null));
    }

    /// <summary>The old runner's essentials: one process, stdin fed, stdout collected, stderr drained.</summary>
    private static byte[] Ffmpeg(string[] arguments, byte[]? input)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        if (input is null)
        {
            start.ArgumentList.Add("-nostdin");
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var feed = Task.Run(() =>
        {
            if (input is not null)
            {
                process.StandardInput.BaseStream.Write(input);
            }

            process.StandardInput.Close();
        });
        using var output = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(output);
        feed.Wait();
        process.WaitForExit();
        return process.ExitCode == 0 ? output.ToArray() : throw new InvalidOperationException($"ffmpeg failed: {stderr.Result}");
    }

    private static void Consume(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            throw new InvalidOperationException("An output came back empty.");
        }
    }

    /// <summary>A job's inputs: a textured frame, 9.85 s of sound, and its mel as the engine's front end computes it.</summary>
    private static JobInputs Inputs()
    {
        var random = new Random(20261129);
        var pixels = new byte[Frame.ByteLength];
        for (var i = 0; i < pixels.Length; i++)
        {
            // A smooth gradient with noise: closer to a photo than random bytes, which no PNG encoder can shrink.
            pixels[i] = (byte)(((i / 3 % 256) + (i / 768) + random.Next(24)) & 0xff);
        }

        var parameters = MelParameters.SpecVqgan;
        var waveform = new float[parameters.OutputSamples];
        for (var n = 0; n < waveform.Length; n++)
        {
            var t = (double)n / parameters.SampleRate;
            waveform[n] = (float)((0.3 * Math.Sin(2 * Math.PI * 440 * t) * (1 + Math.Sin(2 * Math.PI * 0.5 * t))) + (0.05 * ((random.NextDouble() * 2) - 1)));
        }

        var mel = new MelFrontEnd(parameters).Compute(waveform);
        return new JobInputs(
            new Frame(pixels, TimeSpan.Zero), waveform, parameters.SampleRate,
            new MelSpectrogram(mel, parameters.MelBins, parameters.Frames, parameters.SampleRate, parameters.HopLength, parameters.FMin, parameters.FMax),
            [new("ISFT", "EchoPipeline benchmark"), new("ICMT", "seed=0 steps=30 input_sha256=0000 job=bench variation=0")]);
    }

    private sealed record JobInputs(Frame Frame, float[] Waveform, int SampleRate, MelSpectrogram Mel, KeyValuePair<string, string>[] Info);
}
