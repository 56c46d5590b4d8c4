using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Provenance.Watermarking;

/// <summary>
/// The <c>Watermark</c> section (environment: <c>Watermark__Enabled</c>, <c>Watermark__Secret</c>,
/// <c>Watermark__PreviousSecrets__0</c>, ...), read by the worker (which marks) and the Functions app (which verifies).
/// In Azure the secrets are Key Vault references; without one everything uses the documented public key.
/// </summary>
public sealed class WatermarkOptions : IValidatableObject
{
    public const string SectionName = "Watermark";

    /// <summary>Mark every generated waveform (a bundle can still refuse; the job record says who turned it off).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The current key's secret: new outputs are marked with it. Any text of at least 16 characters (32 random bytes in Base64 is a good one).</summary>
    [Required]
    [MinLength(MinimumSecretLength)]
    public string Secret { get; set; } = WatermarkKey.PublicDefaultSecret;

    /// <summary>
    /// Retired secrets that verification still accepts after a rotation (docs/provenance.md), newest first; empty
    /// entries are ignored (infra always sets the slot). Each key tried adds its share to the false-alarm bound, so
    /// keep only the keys whose outputs are still in circulation.
    /// </summary>
    [MaxLength(MaximumPreviousSecrets)]
    public IList<string> PreviousSecrets { get; } = [];

    public const int MinimumSecretLength = 16;

    public const int MaximumPreviousSecrets = 4;

    /// <summary>The keys verification tries: the current one first, then the retired ones (duplicates dropped).</summary>
    public IReadOnlyList<WatermarkKey> VerificationKeys() =>
        [.. new[] { Secret }.Concat(PreviousSecrets.Where(s => !string.IsNullOrEmpty(s))).Distinct(StringComparer.Ordinal).Select(WatermarkKey.FromSecret)];

    /// <summary>What App Service leaves in a setting whose Key Vault reference did not resolve (missing secret, no role).</summary>
    private const string UnresolvedReference = "@Microsoft.KeyVault(";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Secret?.StartsWith(UnresolvedReference, StringComparison.OrdinalIgnoreCase) == true)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(Secret)} is a Key Vault reference that did not resolve; create the secret and grant the app's identity Key Vault Secrets User.",
                [nameof(Secret)]);
        }

        for (var i = 0; i < PreviousSecrets.Count; i++)
        {
            var secret = PreviousSecrets[i] ?? "";
            if (secret.StartsWith(UnresolvedReference, StringComparison.OrdinalIgnoreCase))
            {
                yield return new ValidationResult(
                    $"{SectionName}:{nameof(PreviousSecrets)}:{i} is a Key Vault reference that did not resolve; create the secret or stop accepting the previous key.",
                    [nameof(PreviousSecrets)]);
            }
            else if (secret.Length is > 0 and < MinimumSecretLength)
            {
                yield return new ValidationResult(
                    $"{SectionName}:{nameof(PreviousSecrets)}:{i} has {secret.Length} characters; a watermark secret needs at least {MinimumSecretLength}.",
                    [nameof(PreviousSecrets)]);
            }
        }
    }
}

[OptionsValidator]
public sealed partial class WatermarkOptionsValidator : IValidateOptions<WatermarkOptions>;
