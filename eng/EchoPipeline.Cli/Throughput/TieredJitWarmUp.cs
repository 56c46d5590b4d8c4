namespace EchoPipeline.Cli.Throughput;

/// <summary>
/// How many times the benches run a path before timing it. .NET's tiered JIT compiles a method optimized only after
/// 30 calls; methods that run once per clip or per job (the watermark, decoding, uploads) would otherwise be timed as
/// unoptimized tier-0 code, which a long-running worker runs only for its first jobs (docs/performance.md).
/// </summary>
internal static class TieredJitWarmUp
{
    public const int Calls = 40;
}
