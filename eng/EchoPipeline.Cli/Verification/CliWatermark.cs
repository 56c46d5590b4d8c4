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

    /// <summary>The key, or null and a message when the configured secret is too short to be one.</summary>
    public static WatermarkKey? Key(out string? problem)
    {
        var secret = Environment.GetEnvironmentVariable(SecretVariable);
        problem = null;
        if (string.IsNullOrEmpty(secret))
        {
            return WatermarkKey.PublicDefault;
        }

        if (secret.Length < 16)
        {
            problem = $"{SecretVariable} has {secret.Length} characters; a watermark secret needs at least 16.";
            return null;
        }

        return WatermarkKey.FromSecret(secret);
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
