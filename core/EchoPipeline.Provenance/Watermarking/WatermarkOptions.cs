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
    /// Retired secrets that verification still accepts after a rotation (docs/provenance.md), newest first. Each one
    /// tried doubles the chance bound of a false alarm's, so keep only the keys whose outputs are still in circulation.
    /// </summary>
    [MaxLength(MaximumPreviousSecrets)]
    public IList<string> PreviousSecrets { get; } = [];

    public const int MinimumSecretLength = 16;

    public const int MaximumPreviousSecrets = 4;

    /// <summary>The keys verification tries: the current one first, then the retired ones (duplicates dropped).</summary>
    public IReadOnlyList<WatermarkKey> VerificationKeys() =>
        [.. new[] { Secret }.Concat(PreviousSecrets).Distinct(StringComparer.Ordinal).Select(WatermarkKey.FromSecret)];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < PreviousSecrets.Count; i++)
        {
            if ((PreviousSecrets[i]?.Length ?? 0) < MinimumSecretLength)
            {
                yield return new ValidationResult(
                    $"{SectionName}:{nameof(PreviousSecrets)}:{i} has {PreviousSecrets[i]?.Length ?? 0} characters; a watermark secret needs at least {MinimumSecretLength}.",
                    [nameof(PreviousSecrets)]);
            }
        }
    }
}

[OptionsValidator]
public sealed partial class WatermarkOptionsValidator : IValidateOptions<WatermarkOptions>;
