using System.Globalization;
using EchoPipeline.Media.Benchmarks;

// Usage: dotnet run -c Release --project eng/benchmarks/EchoPipeline.Media.Benchmarks [image-job|middle-frame|all] [repetitions]
var which = args.Length > 0 ? args[0] : "image-job";
var repetitions = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;
if (which is not ("image-job" or "middle-frame" or "all"))
{
    await Console.Error.WriteLineAsync("usage: [image-job|middle-frame|all] [repetitions]");
    return 2;
}

Figures.Print("ffmpeg", Figures.FfmpegVersion());
if (which is "image-job" or "all")
{
    ImageJobBenchmark.Run(repetitions > 0 ? repetitions : 20);
}

if (which is "middle-frame" or "all")
{
    await MiddleFrameBenchmark.RunAsync(repetitions > 0 ? repetitions : 7);
}

return 0;
