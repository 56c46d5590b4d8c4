namespace EchoPipeline.Jobs.Tests;

public class JobParametersTests
{
    [Fact]
    public void Normalizing_leaves_sampling_to_the_bundle_and_is_valid()
    {
        var p = new JobParameters().Normalize();
        Assert.Equal((null, null, null, 1), (p.Steps, p.Temperature, p.Guidance, p.Variations));
        Assert.Equal(["wav"], p.Outputs);
        Assert.Empty(p.Validate());
    }

    [Fact]
    public void Outputs_are_put_in_canonical_order_with_wav_always_first() =>
        Assert.Equal(["wav", "scoredVideo", "spectrogram"], new JobParameters { Outputs = ["spectrogram", "scoredVideo"] }.Normalize().Outputs);

    public static TheoryData<JobParameters, string> Invalid => new()
    {
        { new() { Steps = 0 }, "steps" },
        { new() { Steps = 257 }, "steps" },
        { new() { Temperature = -0.1 }, "temperature" },
        { new() { Temperature = double.NaN }, "temperature" },
        { new() { Guidance = double.PositiveInfinity }, "guidance" },
        { new() { Guidance = 31 }, "guidance" },
        { new() { Seed = -1 }, "seed" },
        { new() { Seed = 1L << 32 }, "seed" },
        { new() { Variations = 0 }, "variations" },
        { new() { Variations = 9 }, "variations" },
        { new() { Outputs = ["wav", "mp3"] }, "outputs" },
        { new() { CallbackUrl = new Uri("ftp://example.com/x") }, "callbackUrl" },
        { new() { CallbackUrl = new Uri("https://user:pw@example.com/x") }, "callbackUrl" },
        { new() { CallbackUrl = new Uri("https://example.com/" + new string('a', 2100)) }, "callbackUrl" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Each_bad_value_is_reported_under_its_field(JobParameters parameters, string field)
    {
        var error = Assert.Single(parameters.Validate());
        Assert.Equal(field, error.Field);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Several_bad_values_are_all_reported() =>
        Assert.Equal(["steps", "variations"], new JobParameters { Steps = -3, Variations = 100 }.Validate().Select(e => e.Field));

    [Fact]
    public void Boundaries_are_inclusive() =>
        Assert.Empty(new JobParameters { Steps = 256, Temperature = 0, Guidance = 30, Seed = uint.MaxValue, Variations = 8 }.Validate());
}
