using System.Text.Json;
using EchoPipeline.Functions.Tests.Support;
using EchoPipeline.Jobs;
using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Functions.Tests.Functions;

/// <summary>
/// VerifyAudio on real blobs in Azurite: audio marked by the engine's embedder (WAV, AAC), unmarked audio, and the
/// requests it must refuse; decoding through the real FFmpeg of EchoPipeline.Media.
/// </summary>
[Collection(PipelineTests.Name)]
public sealed class VerifyAudioTests(PipelineFixture fixture) : FunctionTests(fixture), IDisposable
{
    private static readonly WatermarkPayload Payload = new(0x5eed0019u);
    private readonly MarkedAudio _audio = new();

    public void Dispose() => _audio.Dispose();

    [Fact]
    public async Task A_marked_wav_in_audio_is_present_with_its_payload_every_second_the_public_key_and_its_comment()
    {
        await UploadAsync(StorageNames.AudioContainer, "marked.wav", _audio.Wav("marked.wav", WatermarkKey.PublicDefault, Payload));

        var reply = await App.VerifyAudioAsync("""{"container": "audio", "name": "marked.wav"}""");

        Assert.Equal(200, reply.StatusCode);
        var json = reply.Json;
        Assert.Equal("audio/marked.wav", json.GetProperty("blob").GetString());
        Assert.Equal("present", json.GetProperty("watermark").GetString());
        Assert.InRange(json.GetProperty("statistic").GetDouble(), 2 * WatermarkScheme.DetectionThreshold, 1000);
        Assert.Equal(WatermarkScheme.DetectionThreshold, json.GetProperty("threshold").GetDouble());
        Assert.Equal(WatermarkScheme.FalseAlarmBound(WatermarkScheme.DetectionThreshold), json.GetProperty("falseAlarmBound").GetDouble(), 1e-12);
        Assert.Equal("5eed0019", json.GetProperty("payload").GetString());
        Assert.True(json.GetProperty("payloadRecovered").GetBoolean());
        Assert.Equal(4, json.GetProperty("symbolStatistics").GetArrayLength());
        var seconds = json.GetProperty("seconds");
        Assert.Equal(6, seconds.GetProperty("count").GetInt32());
        Assert.Equal([0, 1, 2, 3, 4, 5], seconds.GetProperty("marked").EnumerateArray().Select(s => s.GetInt32()));
        Assert.Equal(WatermarkScheme.SecondThreshold, seconds.GetProperty("threshold").GetDouble());
        Assert.Equal(WatermarkKey.PublicDefault.Id, json.GetProperty("key").GetProperty("id").GetString());
        Assert.True(json.GetProperty("key").GetProperty("publicDefault").GetBoolean());
        Assert.Equal(WatermarkScheme.Name, json.GetProperty("scheme").GetString());
        Assert.Equal("wav", json.GetProperty("audio").GetProperty("demuxer").GetString());
        Assert.Equal("pcm_s16le", json.GetProperty("audio").GetProperty("codec").GetString());
        Assert.Equal(6.0, json.GetProperty("audio").GetProperty("analysedSeconds").GetDouble(), 0.01);
        Assert.Contains(json.GetProperty("metadata").EnumerateArray(),
            t => t.GetProperty("name").GetString() == "comment" && t.GetProperty("value").GetString() == MarkedAudio.Comment);
    }

    [Fact]
    public async Task An_aac_reencoding_in_scored_named_by_its_url_on_the_account_is_present_with_its_payload()
    {
        await UploadAsync(StorageNames.ScoredContainer, "clips/re encoded.m4a", _audio.M4a("reencoded.m4a", WatermarkKey.PublicDefault, Payload));
        var url = Fixture.Container(StorageNames.ScoredContainer).GetBlobClient("clips/re encoded.m4a").Uri;

        var reply = await App.VerifyAudioAsync(JsonSerializer.Serialize(new { blob = url.AbsoluteUri }));

        Assert.Equal(200, reply.StatusCode);
        Assert.Equal("scored/clips/re encoded.m4a", reply.Json.GetProperty("blob").GetString());
        Assert.Equal("present", reply.Json.GetProperty("watermark").GetString());
        Assert.Equal("5eed0019", reply.Json.GetProperty("payload").GetString());
        Assert.Equal("mov", reply.Json.GetProperty("audio").GetProperty("demuxer").GetString());
        Assert.Equal(44100, reply.Json.GetProperty("audio").GetProperty("sampleRate").GetInt32());
    }

    [Fact]
    public async Task The_same_sound_unmarked_is_absent_with_no_payload_and_no_marked_second()
    {
        await UploadAsync(StorageNames.AudioContainer, "unmarked.wav", _audio.Wav("unmarked.wav", null, Payload));

        var reply = await App.VerifyAudioAsync("""{"blob": "audio/unmarked.wav"}""");

        Assert.Equal(200, reply.StatusCode);
        Assert.Equal("absent", reply.Json.GetProperty("watermark").GetString());
        Assert.InRange(reply.Json.GetProperty("statistic").GetDouble(), 0, WatermarkScheme.DetectionThreshold - 0.01);
        Assert.Equal(JsonValueKind.Null, reply.Json.GetProperty("payload").ValueKind);
        Assert.False(reply.Json.GetProperty("payloadRecovered").GetBoolean());
        Assert.Equal(0, reply.Json.GetProperty("seconds").GetProperty("marked").GetArrayLength());
    }

    [Fact]
    public async Task After_a_rotation_a_file_marked_under_the_retired_secret_verifies_only_while_that_secret_is_listed()
    {
        const string retired = "verify test: the secret before the rotation";
        await UploadAsync(StorageNames.AudioContainer, "old-key.wav", _audio.Wav("old-key.wav", WatermarkKey.FromSecret(retired), Payload));
        const string body = """{"blob": "audio/old-key.wav"}""";

        await using var rotated = Fixture.StartApp(new Dictionary<string, string?>
        {
            ["Watermark:Secret"] = "verify test: the secret after the rotation",
            ["Watermark:PreviousSecrets:0"] = retired,
        });
        await using var forgotten = Fixture.StartApp(new Dictionary<string, string?> { ["Watermark:Secret"] = "verify test: the secret after the rotation" });
        var found = await rotated.VerifyAudioAsync(body);
        var missed = await forgotten.VerifyAudioAsync(body);

        Assert.Equal("present", found.Json.GetProperty("watermark").GetString());
        Assert.Equal(WatermarkKey.FromSecret(retired).Id, found.Json.GetProperty("key").GetProperty("id").GetString());
        Assert.Equal(2, found.Json.GetProperty("key").GetProperty("keysTried").GetInt32());
        Assert.Equal(2 * WatermarkScheme.FalseAlarmBound(WatermarkScheme.DetectionThreshold), found.Json.GetProperty("falseAlarmBound").GetDouble(), 1e-12);
        Assert.Equal("5eed0019", found.Json.GetProperty("payload").GetString());
        Assert.Equal("absent", missed.Json.GetProperty("watermark").GetString());
    }

    [Fact]
    public async Task A_retired_secret_shorter_than_16_characters_stops_the_app_at_start_up()
    {
        await using var app = Fixture.StartApp(new Dictionary<string, string?> { ["Watermark:PreviousSecrets:0"] = "short" });

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WatermarkOptions>>().Value);
        Assert.Contains("PreviousSecrets:0 has 5 characters", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"blob": "https://elsewhere.blob.core.windows.net/audio/marked.wav"}""", "blob_outside_account")]
    [InlineData("""{"blob": "jobs/0123456789abcdef0123456789abcdef.json"}""", "container_not_allowed")]
    [InlineData("""{"container": "webhooks", "name": "x.json"}""", "container_not_allowed")]
    [InlineData("""{"blob": "marked.wav"}""", "invalid_request")]
    [InlineData("""{"blob": "audio/marked.wav", "container": "audio"}""", "invalid_request")]
    [InlineData("""{"blob": "audio/marked.wav", "sas": "sig=x"}""", "invalid_request")]
    [InlineData("""not json""", "invalid_request")]
    [InlineData("", "invalid_request")]
    public async Task Requests_outside_the_account_or_its_media_containers_or_malformed_are_400_with_a_code(string body, string code)
    {
        var before = await SnapshotAsync();

        var reply = await App.VerifyAudioAsync(body);

        Assert.Equal(400, reply.StatusCode);
        Assert.Equal(code, reply.Json.GetProperty("error").GetString());
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_url_on_the_account_with_a_sas_query_or_on_another_port_is_refused()
    {
        var url = Fixture.Container(StorageNames.AudioContainer).GetBlobClient("marked.wav").Uri;
        var otherPort = new UriBuilder(url) { Port = url.Port + 1 }.Uri;

        var withQuery = await App.VerifyAudioAsync(JsonSerializer.Serialize(new { blob = url.AbsoluteUri + "?sv=2024&sig=x" }));
        var elsewhere = await App.VerifyAudioAsync(JsonSerializer.Serialize(new { blob = otherPort.AbsoluteUri }));

        Assert.Equal("invalid_request", withQuery.Json.GetProperty("error").GetString());
        Assert.Equal("blob_outside_account", elsewhere.Json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_missing_blob_is_404_and_a_blob_over_the_size_cap_is_413_before_it_is_read()
    {
        await UploadAsync(StorageNames.AudioContainer, "big.wav", _audio.Wav("big.wav", WatermarkKey.PublicDefault, Payload));
        await using var capped = Fixture.StartApp(new Dictionary<string, string?> { ["VerifyAudio:MaxBytes"] = "100000" });

        var missing = await App.VerifyAudioAsync("""{"blob": "audio/no-such.wav"}""");
        var tooLarge = await capped.VerifyAudioAsync("""{"blob": "audio/big.wav"}""");

        Assert.Equal(404, missing.StatusCode);
        Assert.Equal("not_found", missing.Json.GetProperty("error").GetString());
        Assert.Equal(413, tooLarge.StatusCode);
        Assert.Equal("too_large", tooLarge.Json.GetProperty("error").GetString());
        Assert.Contains("VerifyAudio:MaxBytes", tooLarge.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_a_silent_video_and_a_short_blip_are_422_with_the_media_codes_and_no_temporary_path()
    {
        var text = Path.Combine(Fixture.TempDirectory, "notes.txt");
        await File.WriteAllTextAsync(text, "not audio at all");
        await UploadAsync(StorageNames.AudioContainer, "notes.wav", text);
        await UploadAsync(StorageNames.ScoredContainer, "silent.mp4", _audio.Lavfi("silent.mp4", "-f", "lavfi", "-i", "testsrc2=size=96x64:rate=5:duration=2", "-c:v", "mpeg4"));
        await UploadAsync(StorageNames.AudioContainer, "blip.wav", _audio.Lavfi("blip.wav", "-f", "lavfi", "-i", "sine=frequency=440:duration=0.4"));

        var notAudio = await App.VerifyAudioAsync("""{"blob": "audio/notes.wav"}""");
        var silent = await App.VerifyAudioAsync("""{"blob": "scored/silent.mp4"}""");
        var blip = await App.VerifyAudioAsync("""{"blob": "audio/blip.wav"}""");

        Assert.Equal((422, "not_media"), (notAudio.StatusCode, notAudio.Json.GetProperty("error").GetString()));
        Assert.Equal((422, "no_audio_stream"), (silent.StatusCode, silent.Json.GetProperty("error").GetString()));
        Assert.Equal((422, "too_short"), (blip.StatusCode, blip.Json.GetProperty("error").GetString()));
        Assert.StartsWith("0.40 s of audio", blip.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("scored/silent.mp4", silent.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.All(new[] { notAudio, silent, blip }, r => Assert.DoesNotContain(Fixture.TempDirectory, r.Body, StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateDirectories(Fixture.TempDirectory, "echo-media-*"));
    }

    private async Task UploadAsync(string container, string name, string path)
    {
        await Fixture.Container(container).CreateIfNotExistsAsync();
        await using var file = File.OpenRead(path);
        await Fixture.Container(container).GetBlobClient(name).UploadAsync(file, overwrite: true);
    }
}
