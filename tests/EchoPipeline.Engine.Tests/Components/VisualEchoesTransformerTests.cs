using System.Diagnostics;
using EchoPipeline.Engine.Generation;
using EchoPipeline.Engine.Generation.Transformer;
using EchoPipeline.Engine.Tests.Generation;

namespace EchoPipeline.Engine.Tests.Components;

public sealed class VisualEchoesTransformerTests : IDisposable
{
    private readonly EchoModel _model = TinyModel.Load();

    public void Dispose() => _model.Dispose();

    [Fact]
    public void Cancellation_terminates_a_run_inside_onnx_runtime()
    {
        // Double the rows until one run of the tiny transformer takes at least 800 ms here, then cancel 150 ms into it.
        var (batch, full) = LongRun(32);
        using (batch)
        {
            using var cancellation = new CancellationTokenSource();
            var canceller = new Thread(() =>
            {
                Thread.Sleep(150);
                cancellation.Cancel();
            });
            var watch = Stopwatch.StartNew();
            canceller.Start();
            var error = Assert.ThrowsAny<OperationCanceledException>(() => batch.Run(cancellation.Token));

            Assert.Equal(cancellation.Token, error.CancellationToken);
            Assert.True(watch.Elapsed < full * 0.6, $"the cancelled run took {watch.Elapsed.TotalMilliseconds} ms of {full.TotalMilliseconds}");
        }
    }

    private (ITransformerBatch Batch, TimeSpan Full) LongRun(int rows)
    {
        while (true)
        {
            var batch = _model.Transformer.CreateBatch(rows);
            batch.AudioTokens.Span.Fill(_model.Transformer.Audio.MaskId);
            batch.ImageTokens.Span.Fill(_model.Transformer.Image.MaskId);
            var watch = Stopwatch.StartNew();
            batch.Run(CancellationToken.None);
            if (watch.Elapsed >= TimeSpan.FromMilliseconds(800) || rows >= 1024)
            {
                Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(800), $"{rows} rows took only {watch.Elapsed.TotalMilliseconds} ms; the test needs a longer run");
                return (batch, watch.Elapsed);
            }

            batch.Dispose();
            rows *= 2;
        }
    }

    [Fact]
    public void Rows_do_not_influence_each_other()
    {
        using var one = _model.Transformer.CreateBatch(1);
        using var three = _model.Transformer.CreateBatch(3);
        var audio = Enumerable.Range(0, 265).Select(i => (long)(i % 65)).ToArray();
        var image = Enumerable.Range(0, 256).Select(i => (long)((i * 7) % 49)).ToArray();
        audio.CopyTo(one.AudioTokens);
        image.CopyTo(one.ImageTokens);
        three.AudioTokens.Span.Fill(3);
        three.ImageTokens.Span.Fill(5);
        audio.CopyTo(three.AudioTokens[265..]);
        image.CopyTo(three.ImageTokens[256..]);

        one.Run(CancellationToken.None);
        three.Run(CancellationToken.None);

        var audioRow = 265 * 64;
        Assert.Equal(one.AudioLogits.ToArray(), three.AudioLogits.Slice(audioRow, audioRow).ToArray());
        Assert.NotEqual(one.AudioLogits.ToArray(), three.AudioLogits[..audioRow].ToArray());
    }
}
