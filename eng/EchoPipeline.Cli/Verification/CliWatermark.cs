using EchoPipeline.Engine.Generation.Watermarking;
using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Cli.Verification;

/// <summary>
/// The CLI reads the watermark settings the worker reads, from the same environment variables: <c>Watermark__Secret</c>
/// (the key; unset: the documented public key) and <c>Watermark__Enabled</c> (<c>false</c> turns marking off for
/// `score`). So a file scored locally with a deployment's secret verifies with that secret, and vice versa.
/// </summary>
internal static class CliWatermark
{
    public const string SecretVariable = "Watermark__Secret";
    public const string EnabledVariable = "Watermark__Enabled";

    /// <summary>Retired secrets verify still accepts: <c>Watermark__PreviousSecrets__0</c>, <c>__1</c>, ... as the hosts bind them.</summary>
    public const string PreviousSecretsVariable = "Watermark__PreviousSecrets__";

    /// <summary>The key, or null and a message when the configured secret is too short to be one.</summary>
    public static WatermarkKey? Key(out string? problem)
    {
        var secret = Environment.GetEnvironmentVariable(SecretVariable);
        problem = null;
        if (string.IsNullOrEmpty(secret))
        {
            return WatermarkKey.PublicDefault;
        }

        if (secret.Length < WatermarkOptions.MinimumSecretLength)
        {
            problem = $"{SecretVariable} has {secret.Length} characters; a watermark secret needs at least 16.";
            return null;
        }

        return WatermarkKey.FromSecret(secret);
    }

    /// <summary>The current key, then the retired ones (docs/provenance.md, rotation); null and a message when one is too short.</summary>
    public static IReadOnlyList<WatermarkKey>? VerificationKeys(out string? problem)
    {
        if (Key(out problem) is not { } current)
        {
            return null;
        }

        var keys = new List<WatermarkKey> { current };
        for (var i = 0; i < WatermarkOptions.MaximumPreviousSecrets; i++)
        {
            var secret = Environment.GetEnvironmentVariable(PreviousSecretsVariable + i);
            if (string.IsNullOrEmpty(secret))
            {
                break;
            }

            if (secret.Length < WatermarkOptions.MinimumSecretLength)
            {
                problem = $"{PreviousSecretsVariable}{i} has {secret.Length} characters; a watermark secret needs at least {WatermarkOptions.MinimumSecretLength}.";
                return null;
            }

            var key = WatermarkKey.FromSecret(secret);
            if (keys.All(k => k.Id != key.Id))
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    public static WatermarkPolicy? Policy(out string? problem)
    {
        var key = Key(out problem);
        return key is null ? null : new WatermarkPolicy
        {
            Key = key,
            Enabled = !string.Equals(Environment.GetEnvironmentVariable(EnabledVariable), "false", StringComparison.OrdinalIgnoreCase),
        };
    }
}
