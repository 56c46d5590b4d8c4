using EchoPipeline.Provenance.Dsp;

namespace EchoPipeline.Provenance.Watermarking;

/// <summary>
/// The fixed parameters of the mark (docs/provenance.md has the reasons and the measurements). Changing any of them
/// makes a new scheme with a new <see cref="Name"/>: files marked before could no longer be verified.
/// </summary>
public static class WatermarkScheme
{
    /// <summary>Written into provenance records and WAV metadata next to the payload.</summary>
    public const string Name = "echo-wm/1";

    /// <summary>The mark is defined at this rate; verification resamples to it.</summary>
    public const int SampleRate = 22050;

    /// <summary>
    /// Samples per period of the keyed sequence (0.743 s). The mark repeats with this period, so any excerpt of at least
    /// one period carries a whole copy, and detection searches every one of these circular lags.
    /// </summary>
    public const int Period = 16384;

    /// <summary>The band the mark occupies: kept by AAC and MP3 at low rates and by resampling down to 16 kHz.</summary>
    public const double BandLowHz = 300;

    /// <inheritdoc cref="BandLowHz"/>
    public const double BandHighHz = 7000;

    /// <summary>Energy of the original over energy of the mark, over the whole waveform (dB).</summary>
    public const double TargetSnrDb = 36;

    /// <summary>Share of the mark's energy in the pilot (presence and synchronisation); the rest carries the payload.</summary>
    public const double PilotEnergy = 0.6;

    /// <summary>Payload symbols, each a circular shift of its own keyed sequence.</summary>
    public const int Symbols = 4;

    /// <summary>Bits per symbol: 4 x 12 = 48 = the 32-bit payload and its CRC-16.</summary>
    public const int BitsPerSymbol = 12;

    /// <summary>
    /// Shifts are multiples of this many samples: the correlation peak of the band-limited sequences is a few samples
    /// wide, so neighbouring shifts one sample apart would be confused under noise; four apart they are not.
    /// </summary>
    public const int SymbolSpacing = Period >> BitsPerSymbol;

    /// <summary>
    /// Decision threshold on the pilot's normalised correlation, maximised over all <see cref="Period"/> lags of each of
    /// the <see cref="FoldsPerKey"/> folds. For any input that does not depend on the key, each lag's statistic is
    /// sub-Gaussian with unit variance over the key's random phases, so P(max &gt;= t) &lt;= FoldsPerKey * Period *
    /// exp(-t^2 / 2): at 7 that bound is 7.5e-7 per file.
    /// </summary>
    public const double DetectionThreshold = 7.0;

    /// <summary>
    /// Folds the detector searches per key: the whitened audio as is, and weighted by hop loudness (WatermarkDetector).
    /// Each is a key-independent function of the audio, so each statistic has the same null; the union bound counts both.
    /// </summary>
    public const int FoldsPerKey = 2;

    /// <summary>Per-second threshold at the lag already found (one test per second): bound exp(-4.3^2/2) = 9.7e-5.</summary>
    public const double SecondThreshold = 4.3;

    /// <summary>Mark energy at the pilot lag must reach this before the payload symbols are trusted.</summary>
    internal const double PayloadMinimumStatistic = 4.0;

    internal static readonly double PilotAmplitude = Math.Sqrt(PilotEnergy);

    internal static readonly double SymbolAmplitude = Math.Sqrt((1 - PilotEnergy) / Symbols);

    /// <summary>First and last bin of the band in the <see cref="Period"/>-point DFT.</summary>
    internal static readonly int PeriodBandLow = (int)Math.Ceiling(BandLowHz * Period / SampleRate);

    /// <inheritdoc cref="PeriodBandLow"/>
    internal static readonly int PeriodBandHigh = (int)Math.Floor(BandHighHz * Period / SampleRate);

    internal static int PeriodBandBins => PeriodBandHigh - PeriodBandLow + 1;

    /// <summary>First and last bin of the band in the frames' <see cref="SqrtHannFrames.Size"/>-point DFT.</summary>
    internal static readonly int FrameBandLow = (int)Math.Ceiling(BandLowHz * SqrtHannFrames.Size / SampleRate);

    /// <inheritdoc cref="FrameBandLow"/>
    internal static readonly int FrameBandHigh = (int)Math.Floor(BandHighHz * SqrtHannFrames.Size / SampleRate);

    /// <summary>The union bound above: the chance that unmarked audio reaches statistic <paramref name="z"/> at some lag of some fold.</summary>
    public static double FalseAlarmBound(double z) => Math.Min(1, FoldsPerKey * Period * Math.Exp(-(z * z) / 2));

    /// <summary>The chance that one unmarked second reaches <paramref name="z"/> at the lag already chosen.</summary>
    public static double SecondFalseAlarmBound(double z) => Math.Min(1, Math.Exp(-(z * z) / 2));
}
