namespace EchoPipeline.Jobs.Tests;

public class JobMessageTests
{
    private static readonly JobId Id = JobId.Parse("af03e643b981c5e0cd93b510a4658d75");

    [Fact]
    public void Message_is_the_job_id_and_a_schema_version_and_nothing_else() =>
        Assert.Equal("""{"schemaVersion":1,"jobId":"af03e643b981c5e0cd93b510a4658d75"}""", JobMessage.For(Id).ToJson());

    [Fact]
    public void Parse_round_trips() => Assert.Equal(JobMessage.For(Id), JobMessage.Parse(JobMessage.For(Id).ToJson()));

    [Theory]
    [InlineData("""{"schemaVersion":2,"jobId":"af03e643b981c5e0cd93b510a4658d75"}""", "newer")]
    [InlineData("""{"jobId":"af03e643b981c5e0cd93b510a4658d75"}""", "schemaVersion")]
    [InlineData("""{"schemaVersion":1,"jobId":"../x"}""", "job id")]
    [InlineData("not json", "JSON")]
    public void Parse_refuses_what_it_cannot_trust(string json, string mentioned)
    {
        var ex = Assert.Throws<FormatException>(() => JobMessage.Parse(json));
        Assert.Contains(mentioned, ex.Message, StringComparison.OrdinalIgnoreCase);
    }
}
