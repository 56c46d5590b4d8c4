using System.Text.Json;

namespace EchoPipeline.Jobs.Tests;

public class JobRecordTests
{
    private static JobRecord Sample() => new()
    {
        Id = JobId.Parse("af03e643b981c5e0cd93b510a4658d75"),
        Status = JobStatus.Failed,
        CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        UpdatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 6, TimeSpan.Zero),
        Source = new JobSource { Kind = "blob", Container = "videos", BlobName = "a b/ü.mp4", ETag = "0x1" },
        Parameters = new JobParameters().Normalize() with { Seed = 5 },
        Segments = [new JobSegment(0, 0, 9.845, 4.9225, "af03/0000.png", null)],
        Error = new JobError("not_media", "The file is not a video."),
        Timings = new Dictionary<string, double> { ["probe"] = 12.5 },
    };

    [Fact]
    public void Record_json_uses_camel_case_lower_case_status_and_omits_nulls()
    {
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(Sample(), JobJsonContext.Default.JobRecord));
        var root = json.RootElement;
        Assert.Equal("failed", root.GetProperty("status").GetString());
        Assert.Equal("af03e643b981c5e0cd93b510a4658d75", root.GetProperty("id").GetString());
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("not_media", root.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("a b/ü.mp4", root.GetProperty("source").GetProperty("blobName").GetString());
        Assert.False(root.TryGetProperty("enqueuedAt", out _));
        Assert.False(root.GetProperty("parameters").TryGetProperty("callbackUrl", out _));
    }

    [Fact]
    public void Record_round_trips()
    {
        var back = JsonSerializer.Deserialize(JsonSerializer.Serialize(Sample(), JobJsonContext.Default.JobRecord), JobJsonContext.Default.JobRecord)!;
        Assert.Equal(Sample().Id, back.Id);
        Assert.Equal(Sample().Source, back.Source);
        Assert.Equal(Sample().Segments, back.Segments);
        Assert.Equal(12.5, back.Timings["probe"]);
        Assert.Equal(Sample().Parameters.ToCanonicalString(), back.Parameters.ToCanonicalString());
    }

    [Fact]
    public void The_watermark_stamp_is_stored_in_camel_case_and_round_trips()
    {
        var record = Sample() with { Watermark = new JobWatermark(true, "echo-wm/1", "d3429720", ["af03e640", "af03e641"]) };

        var text = JsonSerializer.Serialize(record, JobJsonContext.Default.JobRecord);
        var back = JsonSerializer.Deserialize(text, JobJsonContext.Default.JobRecord)!.Watermark!;

        using var json = JsonDocument.Parse(text);
        var watermark = json.RootElement.GetProperty("watermark");
        Assert.True(watermark.GetProperty("applied").GetBoolean());
        Assert.Equal("d3429720", watermark.GetProperty("keyId").GetString());
        Assert.False(watermark.TryGetProperty("disabledBy", out _));
        Assert.Equal(["af03e640", "af03e641"], back.Payloads!);
        Assert.Equal(record.Watermark with { Payloads = null }, back with { Payloads = null });
        using var without = JsonDocument.Parse(JsonSerializer.Serialize(Sample(), JobJsonContext.Default.JobRecord));
        Assert.False(without.RootElement.TryGetProperty("watermark", out _));
    }

    [Fact]
    public void Blob_names_derive_from_the_job_id_only()
    {
        var id = JobId.Parse("af03e643b981c5e0cd93b510a4658d75");
        Assert.Equal("af03e643b981c5e0cd93b510a4658d75.json", StorageNames.JobRecordBlob(id));
        Assert.Equal("af03e643b981c5e0cd93b510a4658d75/0003.png", StorageNames.FramePngBlob(id, 3));
        Assert.Equal("af03e643b981c5e0cd93b510a4658d75/0003.rgb24", StorageNames.FrameRawBlob(id, 3));
        Assert.Equal("msg_af03e643b981c5e0cd93b510a4658d75_succeeded.json", StorageNames.WebhookBlob("msg_af03e643b981c5e0cd93b510a4658d75_succeeded"));
        Assert.Equal(["videos", "frames", "audio", "scored", "jobs", "webhooks"], StorageNames.Containers);
        Assert.Equal(["echo-jobs", "echo-jobs-poison"], StorageNames.Queues);
    }
}
