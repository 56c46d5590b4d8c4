namespace EchoPipeline.Engine.Audio;

/// <summary>
/// The audio front end's settings (DESIGN §3). Defaults are SpecVQGAN's; a bundle manifest may override any of them
/// with <c>MelParameters.SpecVqgan with { ... }</c>, then <see cref="Validate"/> says which field is inconsistent.
/// </summary>
public sealed record MelParameters
{
    public static MelParameters SpecVqgan { get; } = new();

    public int SampleRate { get; init; } = 22050;

    public int NFft { get; init; } = 1024;

    public int HopLength { get; init; } = 256;

    public int WinLength { get; init; } = 1024;

    public int MelBins { get; init; } = 80;

    public double FMin { get; init; } = 125;

    public double FMax { get; init; } = 7600;

    /// <summary>Input is zero-padded or cut to this duration before the STFT.</summary>
    public double ClipSeconds { get; init; } = 10;

    /// <summary>Frames kept from the start of the STFT before the centre crop.</summary>
    public int FramesBeforeCrop { get; init; } = 860;

    /// <summary>Frames left after the centre crop: the mel width the codebook and vocoder see.</summary>
    public int Frames { get; init; } = 848;

    /// <summary>Magnitudes below this are raised to it before taking decibels.</summary>
    public double MinMagnitude { get; init; } = 1e-5;

    /// <summary>x = (dB - ReferenceDb + DynamicRangeDb) / DynamicRangeDb, clipped to [0, 1].</summary>
    public double ReferenceDb { get; init; } = 20;

    public double DynamicRangeDb { get; init; } = 100;

    public int FrequencyBins => (NFft / 2) + 1;

    public int ClipSamples => (int)Math.Round(SampleRate * ClipSeconds);

    /// <summary>Frames dropped before the kept window: (FramesBeforeCrop - Frames) / 2, rounded down.</summary>
    public int CropStart => (FramesBeforeCrop - Frames) / 2;

    /// <summary>Length of the waveform a vocoder makes from <see cref="Frames"/> frames: Frames * HopLength.</summary>
    public int OutputSamples => Frames * HopLength;

    public int MelLength => MelBins * Frames;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field that is out of range or inconsistent.</summary>
    public void Validate()
    {
        Require(SampleRate > 0, nameof(SampleRate), $"must be positive, got {SampleRate}");
        Require(NFft >= 4 && (NFft & (NFft - 1)) == 0, nameof(NFft), $"must be a power of two >= 4, got {NFft}");
        Require(HopLength > 0 && HopLength <= NFft, nameof(HopLength), $"must be in 1..{NFft}, got {HopLength}");
        Require(WinLength > 0 && WinLength <= NFft, nameof(WinLength), $"must be in 1..{NFft}, got {WinLength}");
        Require(MelBins > 0, nameof(MelBins), $"must be positive, got {MelBins}");
        Require(FMin >= 0 && FMin < FMax, nameof(FMin), $"must be in [0, FMax={FMax}), got {FMin}");
        Require(FMax <= SampleRate / 2.0, nameof(FMax), $"must not exceed Nyquist {SampleRate / 2.0}, got {FMax}");
        Require(ClipSamples > NFft / 2, nameof(ClipSeconds), $"gives {ClipSamples} samples; reflect padding needs more than {NFft / 2}");
        var available = 1 + (ClipSamples / HopLength);
        Require(FramesBeforeCrop > 0 && FramesBeforeCrop <= available, nameof(FramesBeforeCrop),
            $"must be in 1..{available} (frames of a {ClipSeconds} s clip), got {FramesBeforeCrop}");
        Require(Frames > 0 && Frames <= FramesBeforeCrop, nameof(Frames), $"must be in 1..{FramesBeforeCrop}, got {Frames}");
        Require(MinMagnitude > 0, nameof(MinMagnitude), $"must be positive, got {MinMagnitude}");
        Require(DynamicRangeDb > 0, nameof(DynamicRangeDb), $"must be positive, got {DynamicRangeDb}");
    }

    private static void Require(bool condition, string field, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"Mel parameter {field} {problem}.", field);
        }
    }
}
