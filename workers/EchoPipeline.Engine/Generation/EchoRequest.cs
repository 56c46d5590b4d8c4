using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Engine.Generation;

/// <summary>
/// One generation. Unset sampling parameters take the bundle's defaults for the request's mode (bundle.json
/// <c>sampling</c> and <c>sampling.modes</c>).
/// Known audio for inpainting/outpainting/continuation comes either as tokens (<see cref="KnownAudioTokens"/>,
/// -1 = unknown) or as a clip (<see cref="Audio"/>) whose time columns flagged in <see cref="KnownAudioColumns"/> are kept.
/// </summary>
public sealed record EchoRequest
{
    public GenerationMode Mode { get; init; } = GenerationMode.ImageToAudio;

    /// <summary>rgb24, 256x256, row-major: the guide of <see cref="GenerationMode.ImageToAudio"/>.</summary>
    public byte[]? Image { get; init; }

    /// <summary>Mono samples at the bundle's sample rate: the guide of <see cref="GenerationMode.AudioToImage"/>, or inpainting's source.</summary>
    public float[]? Audio { get; init; }

    /// <summary>One flag per audio token column (time): true keeps the column's tokens from <see cref="Audio"/>.</summary>
    public bool[]? KnownAudioColumns { get; init; }

    /// <summary>Audio tokens to keep (row-major grid, -1 where unknown).</summary>
    public long[]? KnownAudioTokens { get; init; }

    public long Seed { get; init; }

    /// <summary>
    /// The waveform's length in samples when it scores something shorter than a window (a 3 s video): cut to this
    /// length and faded out at the end. Unset: the whole window (or, for a soundtrack, up to its last window's end).
    /// </summary>
    public long? LengthSamples { get; init; }

    public int? Steps { get; init; }

    public double? Temperature { get; init; }

    public float? Guidance { get; init; }

    /// <summary>
    /// The 32 bits the output's watermark carries (a job's id and variation in the worker); unset, they derive from the
    /// output's provenance and guide, so the same request still gives the same bytes.
    /// </summary>
    public WatermarkPayload? WatermarkPayload { get; init; }
}
