using System.Text.Json;

namespace EchoPipeline.Jobs.Tests;

public class JobErrorTests
{
    [Theory]
    [InlineData("timeout")]
    [InlineData("ffmpeg_missing")]
    [InlineData("ffmpeg_failed")]
    [InlineData(JobErrorCodes.StorageError)]
    [InlineData(JobErrorCodes.IngestTimedOut)]
    [InlineData(JobErrorCodes.DequeueLimitExceeded)]
    [InlineData(JobErrorCodes.Internal)]
    public void Causes_that_may_pass_are_retryable(string code) => Assert.True(new JobError(code, "m").Retryable);

    [Theory]
    [InlineData("not_media")]
    [InlineData("unsupported_format")]
    [InlineData("too_many_pixels")]
    [InlineData("truncated")]
    [InlineData(JobErrorCodes.InvalidBlobName)]
    [InlineData(JobErrorCodes.SourceRefused)]
    [InlineData(JobErrorCodes.SourceChanged)]
    [InlineData(JobErrorCodes.SourceNotFound)]
    public void Bad_input_and_changed_sources_are_final(string code) => Assert.False(new JobError(code, "m").Retryable);

    [Fact]
    public void The_record_tells_clients_whether_a_failure_is_retryable()
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var record = new JobRecord
        {
            Id = JobId.Parse(new string('a', 32)), Status = JobStatus.Failed, CreatedAt = at, UpdatedAt = at,
            Source = new JobSource { Kind = "blob", Container = "videos", BlobName = "a.mp4" },
            Parameters = new JobParameters().Normalize(), Error = new JobError("timeout", "ffmpeg ran out of time"),
        };

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(record, JobJsonContext.Default.JobRecord));

        Assert.True(json.RootElement.GetProperty("error").GetProperty("retryable").GetBoolean());
        Assert.Equal("timeout", JsonSerializer.Deserialize(json.RootElement.GetRawText(), JobJsonContext.Default.JobRecord)!.Error!.Code);
    }
}
