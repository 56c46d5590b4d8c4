using System.Globalization;
using System.Text;

namespace EchoPipeline.Jobs;

/// <summary>
/// What the caller asked for. Absent sampling values (steps, temperature, guidance) mean the model bundle's defaults for
/// the job's mode: the worker resolves them and records what it used (<see cref="JobRecord.Sampling"/>). Everything that
/// changes the output is part of the job id, with the bundle id (<see cref="JobId.Derive"/>).
/// </summary>
public sealed record JobParameters
{
    /// <summary>Most variations one job may ask for; a caller wanting more splits them over several jobs.</summary>
    public const int MaxVariations = JobParametersValidator.MaxVariations;

    /// <summary>Unmasking iterations N; absent: the bundle's default.</summary>
    public int? Steps { get; init; }

    /// <summary>Gumbel noise temperature T on the re-masking confidence; absent: the bundle's default.</summary>
    public double? Temperature { get; init; }

    /// <summary>Classifier-free guidance scale s (1 turns guidance off); absent: the bundle's default.</summary>
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

    /// <summary>
    /// Fills the job's own defaults (one variation) and puts <see cref="Outputs"/> in canonical order (wav first, no
    /// duplicates). Sampling values stay absent: they are the bundle's to fill.
    /// </summary>
    public JobParameters Normalize() => this with
    {
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
        // "auto" for an absent value: the bundle's default, which the bundle id in the job id pins.
        text.Append(CultureInfo.InvariantCulture, $"steps={(n.Steps is { } steps ? steps.ToString(CultureInfo.InvariantCulture) : "auto")};");
        text.Append(CultureInfo.InvariantCulture, $"temperature={(n.Temperature is { } t ? t.ToString("R", CultureInfo.InvariantCulture) : "auto")};");
        text.Append(CultureInfo.InvariantCulture, $"guidance={(n.Guidance is { } g ? g.ToString("R", CultureInfo.InvariantCulture) : "auto")};");
        text.Append(CultureInfo.InvariantCulture, $"seed={(n.Seed is { } seed ? seed.ToString(CultureInfo.InvariantCulture) : "auto")};");
        text.Append(CultureInfo.InvariantCulture, $"variations={n.Variations};outputs={string.Join(',', n.Outputs!)};");
        text.Append(CultureInfo.InvariantCulture, $"callback={n.CallbackUrl?.AbsoluteUri}");
        return text.ToString();
    }
}
