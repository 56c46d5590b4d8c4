using System.Text.Json;
using EchoPipeline.Jobs.Batches;

namespace EchoPipeline.Jobs.Tests.Batches;

public class BatchIdTests
{
    private static readonly JobId A = JobId.Parse(new string('a', 32));
    private static readonly JobId B = JobId.Parse(new string('b', 32));

    [Fact]
    public void The_id_is_the_first_128_bits_of_sha256_over_the_job_ids_in_order_and_the_callback()
    {
        var callback = new Uri("https://hooks.example.com/b");
        // From Python: hashlib.sha256("echo-batch/v1\n{a*32},{b*32}\ncallback=https://hooks.example.com/b".encode()).hexdigest()[:32]
        Assert.Equal("c558d71b27dd39d80fab04f0eb47fb29", BatchId.Derive([A, B], callback).Value);
        Assert.NotEqual(BatchId.Derive([A, B], callback), BatchId.Derive([B, A], callback));
        Assert.NotEqual(BatchId.Derive([A, B], callback), BatchId.Derive([A, B], null));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef", true)]
    [InlineData("0123456789ABCDEF0123456789ABCDEF", false)]
    [InlineData("0123456789abcdef", false)]
    [InlineData("../../etc/passwd0123456789abcdef", false)]
    [InlineData(null, false)]
    public void Only_32_lower_case_hex_digits_parse(string? text, bool parses) =>
        Assert.Equal(parses, BatchId.TryParse(text, out _));

    [Fact]
    public void A_batch_record_round_trips_through_its_json_with_ids_as_strings()
    {
        var now = DateTimeOffset.UnixEpoch;
        var record = new BatchRecord { Id = BatchId.Derive([A], null), Status = BatchStatus.Completed, CreatedAt = now, UpdatedAt = now, Jobs = [A], Counts = new BatchCounts(1, 0) };

        var json = JsonSerializer.Serialize(record, BatchJsonContext.Default.BatchRecord);
        var back = JsonSerializer.Deserialize(json, BatchJsonContext.Default.BatchRecord)!;

        Assert.Contains($"\"jobs\":[\"{A}\"]", json, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"completed\"", json, StringComparison.Ordinal);
        Assert.Equal((record.Id, record.Counts), (back.Id, back.Counts));
        Assert.Equal([A], back.Jobs);
    }
}
