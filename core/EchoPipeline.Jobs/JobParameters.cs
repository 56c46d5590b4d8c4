using System.Globalization;
using System.Text;

namespace EchoPipeline.Jobs;

/// <summary>
/// What the caller asked for. Absent values take the paper's defaults (N=30 steps, temperature T=9,
/// guidance s=3) on <see cref="Normalize"/>; everything that changes the output is part of the job id.
/// </summary>
public sealed record JobParameters
{
    public const int DefaultSteps = 30;
    public const double DefaultTemperature = 9;
    public const double DefaultGuidance = 3;

    /// <summary>Most variations one job may ask for; a caller wanting more splits them over several jobs.</summary>
    public const int MaxVariations = JobParametersValidator.MaxVariations;

    /// <summary>Unmasking iterations N.</summary>
    public int? Steps { get; init; }

    /// <summary>Gumbel noise temperature T on the re-masking confidence.</summary>
    public double? Temperature { get; init; }

    /// <summary>Classifier-free guidance scale s (1 turns guidance off).</summary>
    public double? Guidance { get; init; }

    /// <summary>Sampling seed; absent means one derived from the job id, so retries stay reproducible.</summary>
    public long? Seed { get; init; }

    /// <summary>How many different soundtracks to generate (seed, seed+1, ...).</summary>
    public int? Variations { get; init; }

    /// <summary>Outputs wanted besides the WAV, which is always produced: "scoredVideo", "spectrogram".</summary>
    public IReadOnlyList<string>? Outputs { get; init; }

    /// <summary>Where to POST the job record when the job finishes.</summary>
    public Uri? CallbackUrl { get; init; }

    /// <summary>
    /// What an upload event asks for, having no body to say it: everything a person scoring a video wants back (the
    /// worker makes the scored video only when the source is a video).
    /// </summary>
    public static JobParameters ForBlobCreated { get; } = new() { Outputs = [JobOutputs.Spectrogram, JobOutputs.ScoredVideo] };

    /// <summary>Fills the defaults and puts <see cref="Outputs"/> in canonical order (wav first, no duplicates).</summary>
    public JobParameters Normalize() => this with
    {
        Steps = Steps ?? DefaultSteps,
        Temperature = Temperature ?? DefaultTemperature,
        Guidance = Guidance ?? DefaultGuidance,
        Variations = Variations ?? 1,
        Outputs = [.. JobOutputs.All.Where(o => o == JobOutputs.Wav || (Outputs?.Contains(o, StringComparer.Ordinal) ?? false))],
    };

    /// <summary>The seed the worker uses: the explicit one, or the first 32 bits of the job id.</summary>
    public long ResolveSeed(JobId id) =>
        Seed ?? long.Parse(id.Value.AsSpan(0, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    /// <summary>Every problem with the values, each naming its field; empty when the parameters are usable.</summary>
    public IReadOnlyList<ValidationError> Validate() => JobParametersValidator.Validate(this);

    /// <summary>The text hashed into the job id; stable across versions of this library.</summary>
    public string ToCanonicalString()
    {
        var n = Normalize();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"steps={n.Steps};temperature={n.Temperature.GetValueOrDefault():R};guidance={n.Guidance.GetValueOrDefault():R};");
        text.Append(CultureInfo.InvariantCulture, $"seed={(n.Seed is { } seed ? seed.ToString(CultureInfo.InvariantCulture) : "auto")};");
        text.Append(CultureInfo.InvariantCulture, $"variations={n.Variations};outputs={string.Join(',', n.Outputs!)};");
        text.Append(CultureInfo.InvariantCulture, $"callback={n.CallbackUrl?.AbsoluteUri}");
        return text.ToString();
    }
}
