using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Provenance.Tests.Watermarking;

/// <summary>Detection with a list of keys (current first, then retired ones), as after a rotation.</summary>
public sealed class KeyRotationTests
{
    private static readonly WatermarkKey Retired = WatermarkKey.FromSecret("rotation test: the retired secret");
    private static readonly WatermarkKey Current = WatermarkKey.FromSecret("rotation test: the current secret");
    private static readonly WatermarkPayload Payload = new(0x0badcafeu);

    [Fact]
    public void A_file_marked_under_a_retired_key_is_found_with_its_payload_when_that_key_is_listed_second()
    {
        var marked = WatermarkEmbedder.Embed(TestAudio.PulsedChirp(4), Retired, Payload, out _);

        var currentOnly = WatermarkDetector.Detect(marked, [Current]);
        var both = WatermarkDetector.Detect(marked, [Current, Retired]);

        Assert.False(currentOnly.Present);
        Assert.True(both.Present);
        Assert.Equal(Retired.Id, both.KeyId);
        Assert.Equal(Payload, both.Payload);
        Assert.Equal(2, both.KeysTried);
        // The same statistic as a detection with the retired key alone: the keys share one whitening and fold.
        Assert.Equal(WatermarkDetector.Detect(marked, Retired).Statistic, both.Statistic, 1e-9);
    }

    [Fact]
    public void Trying_more_keys_multiplies_the_false_alarm_bound_by_their_number()
    {
        var unmarked = TestAudio.BandNoise(3, 400, 3000, seed: 8);

        var one = WatermarkDetector.Detect(unmarked, [Current]);
        var three = WatermarkDetector.Detect(unmarked, [Current, Retired, WatermarkKey.PublicDefault]);

        Assert.False(three.Present);
        Assert.Equal(3 * WatermarkScheme.FalseAlarmBound(WatermarkScheme.DetectionThreshold), three.FalseAlarmBound, 1e-15);
        Assert.Equal(WatermarkScheme.FalseAlarmBound(WatermarkScheme.DetectionThreshold), one.FalseAlarmBound, 1e-15);
        // Absent: the report names the key that came closest, whose statistic is the largest of the three.
        var best = new[] { Current, Retired, WatermarkKey.PublicDefault }.Max(k => WatermarkDetector.Detect(unmarked, k).Statistic);
        Assert.Equal(best, three.Statistic, 1e-9);
    }

    [Fact]
    public void Options_list_the_current_key_first_then_the_retired_ones_without_repeats_and_refuse_short_retired_secrets()
    {
        var options = new WatermarkOptions { Secret = "rotation test: the current secret" };
        options.PreviousSecrets.Add("rotation test: the retired secret");
        options.PreviousSecrets.Add("rotation test: the current secret");

        Assert.Equal([Current.Id, Retired.Id], options.VerificationKeys().Select(k => k.Id));
        Assert.True(new WatermarkOptionsValidator().Validate(null, options).Succeeded);

        options.PreviousSecrets.Add("too short");
        var result = new WatermarkOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains("Watermark:PreviousSecrets:2 has 9 characters", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_retired_slot_is_ignored_and_an_unresolved_key_vault_reference_is_refused()
    {
        var options = new WatermarkOptions { Secret = "rotation test: the current secret" };
        options.PreviousSecrets.Add("");

        Assert.Equal([Current.Id], options.VerificationKeys().Select(k => k.Id));
        Assert.True(new WatermarkOptionsValidator().Validate(null, options).Succeeded);

        var unresolved = new WatermarkOptions { Secret = "@Microsoft.KeyVault(SecretUri=https://kv-x.vault.azure.net/secrets/echo-watermark/)" };
        var result = new WatermarkOptionsValidator().Validate(null, unresolved);
        Assert.True(result.Failed);
        Assert.Contains("Key Vault reference that did not resolve", result.FailureMessage, StringComparison.Ordinal);
    }
}
