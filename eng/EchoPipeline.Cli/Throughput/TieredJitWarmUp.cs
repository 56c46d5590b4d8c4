namespace EchoPipeline.Cli.Throughput;

/// <summary>
/// How many times the benches run a path before timing it. .NET's tiered JIT compiles a method optimized only after
/// 30 calls; in this process (the engine bench, the in-process ingest, the engine-only half of `bench --pipeline`)
/// methods that run once per clip or per job (the watermark, decoding, uploads) would otherwise be timed as
/// unoptimized tier-0 code. The worker runs without tiering (its project file; docs/performance.md).
/// </summary>
internal static class TieredJitWarmUp
{
    public const int Calls = 40;
}
