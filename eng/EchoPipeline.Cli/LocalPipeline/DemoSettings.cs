namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>What `demo` was asked to do.</summary>
internal sealed record DemoSettings(IReadOnlyList<string> Inputs, string OutFolder, string BundlePath, int Workers, TimeSpan Timeout);
