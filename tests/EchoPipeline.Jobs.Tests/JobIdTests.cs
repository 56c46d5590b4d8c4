namespace EchoPipeline.Jobs.Tests;

public class JobIdTests
{
    private static readonly SourceIdentity Clip = SourceIdentity.ForBlob("videos", "clip.mp4", "\"0x8DC0000000000001\"");

    private const string Bundle = "echo-demo";

    [Fact]
    public void Derive_matches_an_independent_sha256_of_the_canonical_text()
    {
        // Expected values from Python: hashlib.sha256(text.encode()).hexdigest()[:32] over
        // "echo-job/v2\n{source}\n{canonical parameters}\nbundle={bundle id}" (see JobId.Derive), e.g.
        // "steps=auto;temperature=auto;guidance=auto;seed=auto;variations=1;outputs=wav;callback=" for the defaults.
        Assert.Equal("6dfe6eb48fde5ffa3719d2b3b0f4fb06", JobId.Derive(Clip, new JobParameters(), Bundle).Value);

        var parameters = new JobParameters
        {
            Steps = 12, Temperature = 4.5, Guidance = 1, Seed = 42, Variations = 2,
            Outputs = ["spectrogram", "wav"], CallbackUrl = new Uri("https://hooks.example.com/echo"),
        };
        Assert.Equal("a925ea128235287557ef89d311ad6b66", JobId.Derive(SourceIdentity.ForContent(string.Concat(Enumerable.Repeat("ab", 32))), parameters, Bundle).Value);
    }

    [Fact]
    public void Job_defaults_spelled_out_give_the_same_id_as_defaults_left_out()
    {
        var spelled = new JobParameters { Variations = 1, Outputs = ["wav", "wav"] };
        Assert.Equal(JobId.Derive(Clip, new JobParameters(), Bundle), JobId.Derive(Clip, spelled, Bundle));
    }

    [Fact]
    public void Sampling_values_left_to_the_bundle_are_not_the_same_job_as_values_asked_for()
    {
        // Unset means "the bundle's default", which a new bundle may change; asked values are the caller's.
        var asked = new JobParameters { Steps = 30, Temperature = 9, Guidance = 1 };
        Assert.NotEqual(JobId.Derive(Clip, new JobParameters(), Bundle), JobId.Derive(Clip, asked, Bundle));
        Assert.Contains("steps=auto;temperature=auto;guidance=auto;", new JobParameters().ToCanonicalString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_job_on_another_bundle_has_another_id()
    {
        Assert.NotEqual(JobId.Derive(Clip, new JobParameters(), "echo-demo"), JobId.Derive(Clip, new JobParameters(), "echo-demo-2"));
        Assert.Equal(JobId.Derive(Clip, new JobParameters { Guidance = 3 }, "echo-demo"), JobId.Derive(Clip, new JobParameters { Guidance = 3 }, "echo-demo"));
        Assert.Throws<ArgumentException>(() => JobId.Derive(Clip, new JobParameters(), " "));
    }

    [Fact]
    public void Anything_that_changes_the_output_changes_the_id()
    {
        var baseline = JobId.Derive(Clip, new JobParameters(), Bundle);
        JobParameters[] variants =
        [
            new() { Steps = 31 }, new() { Temperature = 8 }, new() { Guidance = 1 }, new() { Seed = 0 },
            new() { Variations = 2 }, new() { Outputs = ["scoredVideo"] }, new() { CallbackUrl = new Uri("https://a.example/") },
        ];
        var ids = variants.Select(p => JobId.Derive(Clip, p, Bundle)).Append(baseline)
            .Append(JobId.Derive(SourceIdentity.ForBlob("videos", "clip.mp4", "0x8DC0000000000002"), new JobParameters(), Bundle))
            .Append(JobId.Derive(SourceIdentity.ForBlob("videos", "clip2.mp4", "0x8DC0000000000001"), new JobParameters(), Bundle));
        Assert.Equal(variants.Length + 3, ids.Distinct().Count());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("AF03E643B981C5E0CD93B510A4658D75")]
    [InlineData("af03e643b981c5e0cd93b510a4658d7")]
    [InlineData("af03e643b981c5e0cd93b510a4658d75a")]
    [InlineData("../../jobs/af03e643b981c5e0cd93b5")]
    [InlineData("af03e643b981c5e0cd93b510a4658d7g")]
    public void TryParse_refuses_anything_but_32_lower_hex_digits(string? text) =>
        Assert.False(JobId.TryParse(text, out _));

    [Fact]
    public void Parse_round_trips() =>
        Assert.Equal("af03e643b981c5e0cd93b510a4658d75", JobId.Parse("af03e643b981c5e0cd93b510a4658d75").ToString());

    [Fact]
    public void Resolved_seed_is_the_explicit_one_or_the_first_32_bits_of_the_id()
    {
        var id = JobId.Parse("af03e643b981c5e0cd93b510a4658d75");
        Assert.Equal(0xaf03e643L, new JobParameters().ResolveSeed(id));
        Assert.Equal(7, new JobParameters { Seed = 7 }.ResolveSeed(id));
    }

    [Fact]
    public void Blob_identity_ignores_the_quotes_some_apis_put_around_etags() =>
        Assert.Equal(SourceIdentity.ForBlob("videos", "a", "\"0x1\""), SourceIdentity.ForBlob("videos", "a", "0x1"));
}
