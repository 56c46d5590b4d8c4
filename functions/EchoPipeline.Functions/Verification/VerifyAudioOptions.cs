using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Functions.Verification;

/// <summary>Limits of the VerifyAudio function (configuration section <c>VerifyAudio</c>); the key comes from <c>Watermark</c>.</summary>
public sealed class VerifyAudioOptions
{
    public const string SectionName = "VerifyAudio";

    /// <summary>Largest blob read; a bigger one is refused (413) before a byte is downloaded, and the download stops past it.</summary>
    [Range(1L, 4L * 1024 * 1024 * 1024)]
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>At most this much audio from the start of the blob is analysed (as `echopipe verify --max-seconds`).</summary>
    [Range(1.0, 3600.0)]
    public double MaxSeconds { get; set; } = 600;
}

[OptionsValidator]
public sealed partial class VerifyAudioOptionsValidator : IValidateOptions<VerifyAudioOptions>;
