using System.Diagnostics;
using System.Globalization;
using EchoPipeline.Engine.Audio;

// Griffin-Lim is the vocoder of bundles without an ONNX one and the main C# cost per clip. Medians of one 10 s clip
// (80 x 848 mel -> 217088 samples, 32 iterations), split into its two parts, on one thread and on all of them.
// Usage: dotnet run -c Release --project eng/benchmarks/EchoPipeline.Engine.Benchmarks [repetitions]
var repetitions = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7;
var parameters = MelParameters.SpecVqgan;
var mel = new MelFrontEnd(parameters).Compute(Chirp(parameters.ClipSamples, parameters.SampleRate));
Print("processors", Environment.ProcessorCount);
Print("repetitions", repetitions);

var linearMel = new double[parameters.MelLength];
for (var m = 0; m < parameters.MelBins; m++)
{
    for (var t = 0; t < parameters.Frames; t++)
    {
        linearMel[(t * parameters.MelBins) + m] = MelNormalization.Denormalize(mel[(m * parameters.Frames) + t], parameters);
    }
}

var magnitude = new double[parameters.Frames * parameters.FrequencyBins];
var signal = new double[parameters.OutputSamples];
foreach (var threads in (int[])[1, -1])
{
    var options = GriffinLimOptions.Default with { MaxDegreeOfParallelism = threads };
    var griffinLim = new GriffinLim(parameters, options);
    var inverter = new MelInverter(SlaneyMelFilterbank.Create(parameters), options.MelInversionIterations, threads);
    var suffix = threads == 1 ? "_1_thread" : "";
    Print($"mel_inversion_ms{suffix}", Median(() => inverter.Invert(linearMel, magnitude)));
    Print($"phase_reconstruction_ms{suffix}", Median(() => griffinLim.Reconstruct(magnitude, signal)));
    Print($"griffin_lim_clip_ms{suffix}", Median(() => griffinLim.Synthesize(mel)));
}

double Median(Action run)
{
    run(); // warm-up: JIT and first-touch of the buffers
    var times = new double[repetitions];
    for (var i = 0; i < repetitions; i++)
    {
        var clock = Stopwatch.StartNew();
        run();
        times[i] = clock.Elapsed.TotalMilliseconds;
    }

    Array.Sort(times);
    return times[repetitions / 2];
}

static float[] Chirp(int samples, int sampleRate)
{
    // 100 Hz to 8 kHz over the clip with a little noise floor: energy in every mel band over time.
    var x = new float[samples];
    var duration = (double)samples / sampleRate;
    for (var n = 0; n < samples; n++)
    {
        var t = (double)n / sampleRate;
        var phase = 2 * Math.PI * ((100 * t) + (0.5 * (7900 / duration) * t * t));
        x[n] = (float)((0.5 * Math.Sin(phase)) + (0.01 * Math.Sin(n * 0.7)));
    }

    return x;
}

static void Print(string name, double value) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {value:0.###}"));
