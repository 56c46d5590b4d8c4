using System.ComponentModel.DataAnnotations;
using EchoPipeline.Provenance.Watermarking;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Worker.Hosting;

/// <summary>
/// The <c>Watermark</c> section (environment: <c>Watermark__Enabled</c>, <c>Watermark__Secret</c>): the deployment's say
/// on the output watermark (docs/provenance.md). In Azure the secret is an app secret backed by Key Vault; without one
/// the worker marks with the documented public key and says so in its log.
/// </summary>
public sealed class WatermarkOptions
{
    public const string SectionName = "Watermark";

    /// <summary>Mark every generated waveform (a bundle can still refuse; the job record says who turned it off).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The key's secret; any text of at least 16 characters (32 random bytes in Base64 is a good one).</summary>
    [Required]
    [MinLength(16)]
    public string Secret { get; set; } = WatermarkKey.PublicDefaultSecret;
}

[OptionsValidator]
public sealed partial class WatermarkOptionsValidator : IValidateOptions<WatermarkOptions>;
