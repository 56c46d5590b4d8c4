using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using EchoPipeline.Jobs;
using EchoPipeline.Worker.Telemetry;
using EchoPipeline.Worker.Tests.Support;

namespace EchoPipeline.Worker.Tests.Hosting;

[Collection(WorkerGroup.Name)]
public sealed class HealthAndTelemetryTests(WorkerFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ClearQueuesAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Health_endpoint_answers_ok_once_the_bundle_is_loaded()
    {
        await using var host = await WorkerHost.StartAsync(fixture);
        using var client = new HttpClient { BaseAddress = host.Address };

        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpResponseMessage response;
        while (!(response = await client.GetAsync(new Uri("/healthz", UriKind.Relative))).IsSuccessStatusCode && DateTime.UtcNow < deadline)
        {
            Assert.Equal(503, (int)response.StatusCode);
            await Task.Delay(100);
        }

        Assert.Equal(200, (int)response.StatusCode);
        Assert.StartsWith("ok", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_report_stages_batch_size_queue_lag_and_outcomes()
    {
        var measurements = new ConcurrentQueue<(string Instrument, double Value, string? Tag)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == WorkerTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, Tag(tags))));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => measurements.Enqueue((i.Name, v, Tag(tags))));
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, Tag(tags))));
        listener.Start();
        var ids = new[] { await fixture.SeedJobAsync("telemetry/a.png"), await fixture.SeedJobAsync("telemetry/b.png") };

        await using (var host = await WorkerHost.StartAsync(fixture, new Dictionary<string, string?> { ["Worker:BatchWaitMs"] = "1000" }))
        {
            await fixture.WaitForFinalAsync(ids, TimeSpan.FromSeconds(60));
        }

        Assert.Contains(measurements, m => m is { Instrument: "echo.worker.batch.size", Value: 2 });
        Assert.Equal(2, measurements.Count(m => m is { Instrument: "echo.worker.jobs", Tag: "succeeded" }));
        Assert.Contains(measurements, m => m is { Instrument: "echo.worker.stage.duration", Tag: "generate" } && m.Value > 0);
        Assert.Equal(2, measurements.Count(m => m.Instrument == "echo.worker.queue.lag"));
    }

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags) => tags.Length > 0 ? tags[0].Value?.ToString() : null;
}
