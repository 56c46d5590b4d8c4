using System.Diagnostics;
using System.Globalization;
using EchoPipeline.Cli.Chaos;
using EchoPipeline.Cli.Commands;
using EchoPipeline.Testing;

namespace EchoPipeline.Cli.Tests.Chaos;

/// <summary>
/// One small `chaos` run shared by the tests that read its figures: 4 jobs, 2 workers, the tiny bundle, the webhook
/// receiver down and slow for 5 s each, a worker killed every second (so a fast machine still sees kills before the jobs end).
/// </summary>
public sealed class ChaosRunFixture : IAsyncLifetime
{
    public int ExitCode { get; private set; }

    public IReadOnlyList<string> OutputLines { get; private set; } = [];

    public string Progress { get; private set; } = "";

    public TimeSpan Elapsed { get; private set; }

    public IReadOnlyDictionary<string, double> Figures { get; private set; } = new Dictionary<string, double>();

    public async Task InitializeAsync()
    {
        var settings = new ChaosSettings(Jobs: 4, Workers: 2, RepoPaths.Fixture("bundles", "tiny"), TimeSpan.FromSeconds(60))
        {
            ReceiverDownFor = TimeSpan.FromSeconds(5),
            ReceiverSlowFor = TimeSpan.FromSeconds(5),
            KillInterval = TimeSpan.FromSeconds(1),
        };
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var progress = new StringWriter(CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        ExitCode = await ChaosCommand.RunAsync(settings, output, progress, CancellationToken.None);
        Elapsed = clock.Elapsed;
        Progress = progress.ToString();
        OutputLines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Figures = OutputLines.Select(l => l.Split(": ", 2)).ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class ChaosRunTests : ICollectionFixture<ChaosRunFixture>
{
    public const string Name = "chaos run";
}
