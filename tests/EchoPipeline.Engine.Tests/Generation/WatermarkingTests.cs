using EchoPipeline.Engine.Audio;
using EchoPipeline.Engine.Bundles;
using EchoPipeline.Engine.Generation;
using EchoPipeline.Engine.Generation.Watermarking;
using EchoPipeline.Engine.Tests.Bundles;
using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Engine.Tests.Generation;

/// <summary>The engine marks every waveform by default; a deployment or a bundle can turn it off, and provenance says which.</summary>
public sealed class WatermarkingTests : IDisposable
{
    private readonly EchoModel _model = TinyModel.Load();

    public void Dispose() => _model.Dispose();

    [Fact]
    public async Task Every_waveform_is_marked_by_default_with_a_payload_derived_from_its_provenance_and_picture()
    {
        var generator = new EchoGenerator(_model);
        var result = (await generator.GenerateAsync([new EchoRequest { Image = TinyModel.Picture(1), Seed = 3, Steps = 4 }]))[0];
        var otherPicture = (await generator.GenerateAsync([new EchoRequest { Image = TinyModel.Picture(2), Seed = 3, Steps = 4 }]))[0];

        var stamp = result.Provenance.Watermark!;
        var detection = WatermarkDetector.Detect(result.Waveform, WatermarkKey.PublicDefault);
        Assert.True(stamp.Applied);
        Assert.Equal(WatermarkKey.PublicDefault.Id, stamp.KeyId);
        var pictureHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(TinyModel.Picture(1)));
        Assert.Equal(WatermarkPayload.FromText($"{result.Provenance with { Watermark = null }} guide_sha256={pictureHash}"), stamp.Payload);
        Assert.NotEqual(stamp.Payload, otherPicture.Provenance.Watermark!.Payload);
        Assert.Equal(WatermarkScheme.TargetSnrDb, stamp.SnrDb!.Value, 0.1);
        Assert.True(detection.Present, $"z = {detection.Statistic:F1}");
        Assert.Equal(stamp.Payload, detection.Payload);
        Assert.All(detection.Seconds, s => Assert.True(s.Marked));
        Assert.True(result.Timings.Watermark > TimeSpan.Zero);
    }

    [Fact]
    public async Task A_requested_payload_is_carried_and_the_same_request_writes_the_same_bytes()
    {
        var generator = new EchoGenerator(_model);
        var request = new EchoRequest { Image = TinyModel.Picture(2), Seed = 8, Steps = 4, WatermarkPayload = new WatermarkPayload(0x3f2a91c2u) };

        var first = (await generator.GenerateAsync([request]))[0];
        var again = (await generator.GenerateAsync([new EchoRequest { Image = TinyModel.Picture(5), Seed = 1, Steps = 4 }, request]))[1];

        Assert.Equal(new WatermarkPayload(0x3f2a91c2u), WatermarkDetector.Detect(first.Waveform, WatermarkKey.PublicDefault).Payload);
        Assert.Equal(WavWriter.Encode(first.Waveform, 22050, first.Provenance.ToWavInfo()), WavWriter.Encode(again.Waveform, 22050, again.Provenance.ToWavInfo()));
    }

    [Fact]
    public async Task The_mark_is_the_only_difference_from_the_unmarked_output_and_sits_36_db_below_it()
    {
        var request = new EchoRequest { Image = TinyModel.Picture(3), Seed = 4, Steps = 4 };

        var marked = (await new EchoGenerator(_model).GenerateAsync([request]))[0];
        var plain = (await new EchoGenerator(_model, watermark: WatermarkPolicy.Off).GenerateAsync([request]))[0];

        Assert.Equal(plain.AudioTokens, marked.AudioTokens);
        var signal = plain.Waveform!.Sum(x => (double)x * x);
        var difference = plain.Waveform!.Zip(marked.Waveform!, (a, b) => ((double)b - a) * ((double)b - a)).Sum();
        Assert.Equal(WatermarkScheme.TargetSnrDb, 10 * Math.Log10(signal / difference), 0.1);
    }

    [Fact]
    public async Task The_deployment_switch_turns_the_mark_off_and_the_provenance_says_so()
    {
        var generator = new EchoGenerator(_model, watermark: WatermarkPolicy.Off);

        var result = (await generator.GenerateAsync([new EchoRequest { Image = TinyModel.Picture(1), Seed = 3, Steps = 4 }]))[0];

        Assert.False(generator.MarksOutputs);
        Assert.Equal(WatermarkStamp.Off(WatermarkStamp.DisabledByDeployment), result.Provenance.Watermark);
        Assert.EndsWith("watermark=off disabled_by=deployment", result.Provenance.ToString(), StringComparison.Ordinal);
        Assert.False(WatermarkDetector.Detect(result.Waveform, WatermarkKey.PublicDefault).Present);
        Assert.Equal(TimeSpan.Zero, result.Timings.Watermark);
    }

    [Fact]
    public async Task A_bundle_that_turns_the_mark_off_is_obeyed_and_named()
    {
        using var bundle = new TempBundle();
        bundle.Manifest["watermark"] = new System.Text.Json.Nodes.JsonObject { ["enabled"] = false, ["reason"] = "research bundle" };
        bundle.Save();
        using var model = EchoModel.Load(bundle.Directory);
        var generator = new EchoGenerator(model);

        var result = (await generator.GenerateAsync([new EchoRequest { Image = TinyModel.Picture(1), Seed = 3, Steps = 4 }]))[0];

        Assert.Equal(new BundleWatermark(false, "research bundle"), model.Watermark);
        Assert.Equal(WatermarkStamp.Off(WatermarkStamp.DisabledByBundle), result.Provenance.Watermark);
        Assert.False(WatermarkDetector.Detect(result.Waveform, WatermarkKey.PublicDefault).Present);
    }

    [Fact]
    public async Task A_configured_key_marks_for_that_key_only()
    {
        var key = WatermarkKey.FromSecret("a deployment's secret");
        var result = (await new EchoGenerator(_model, watermark: new WatermarkPolicy { Key = key }).GenerateAsync([new EchoRequest { Image = TinyModel.Picture(6), Seed = 2, Steps = 4 }]))[0];

        Assert.Equal(key.Id, result.Provenance.Watermark!.KeyId);
        Assert.True(WatermarkDetector.Detect(result.Waveform, key).Present);
        Assert.False(WatermarkDetector.Detect(result.Waveform, WatermarkKey.PublicDefault).Present);
    }

    [Fact]
    public async Task A_continued_soundtrack_carries_one_mark_across_its_seams()
    {
        var result = await new EchoGenerator(_model).GenerateLongAsync(
            [TinyModel.Picture(1), TinyModel.Picture(4)], new EchoRequest { Seed = 20, Steps = 4, WatermarkPayload = new WatermarkPayload(0xabcdef01u) });

        Assert.Equal(new WatermarkPayload(0xabcdef01u), result.Provenance.Watermark!.Payload);
        Assert.All(result.Windows, w => Assert.Null(w.Provenance.Watermark));
        var whole = WatermarkDetector.Detect(result.Waveform, WatermarkKey.PublicDefault);
        Assert.Equal(new WatermarkPayload(0xabcdef01u), whole.Payload);
        Assert.All(whole.Seconds, s => Assert.True(s.Marked, $"second {s.Second}: z = {s.Statistic:F1}"));
        // Three seconds around the seam at 217088 - 8 x 4096 = 184320 samples.
        var seam = WatermarkDetector.Detect(result.Waveform.AsSpan(184320 - 33075, 66150), WatermarkKey.PublicDefault);
        Assert.Equal(new WatermarkPayload(0xabcdef01u), seam.Payload);
    }
}
