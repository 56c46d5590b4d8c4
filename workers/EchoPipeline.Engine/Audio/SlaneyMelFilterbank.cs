namespace EchoPipeline.Engine.Audio;

/// <summary>
/// Triangular mel filters on Slaney's scale with Slaney's area normalisation (each triangle scaled by
/// 2 / bandwidth in Hz), the filterbank librosa.filters.mel builds with htk=False, norm='slaney'.
/// Rows are stored as their non-zero span only, so applying the bank costs about two multiplies per FFT bin.
/// </summary>
public sealed class SlaneyMelFilterbank
{
    private readonly double[][] _rows;
    private readonly int[] _starts;
    private readonly double[] _bandEdges;

    public SlaneyMelFilterbank(int sampleRate, int nFft, int melBins, double fMin, double fMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfLessThan(nFft, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(melBins);
        if (fMin < 0 || fMin >= fMax)
        {
            throw new ArgumentOutOfRangeException(nameof(fMin), fMin, $"Need 0 <= fMin < fMax ({fMax}).");
        }

        MelBins = melBins;
        FrequencyBins = (nFft / 2) + 1;
        _bandEdges = SlaneyMelScale.Frequencies(melBins + 2, fMin, fMax);
        _rows = new double[melBins][];
        _starts = new int[melBins];
        var dense = new double[FrequencyBins];
        for (var m = 0; m < melBins; m++)
        {
            double left = _bandEdges[m], centre = _bandEdges[m + 1], right = _bandEdges[m + 2];
            var area = 2.0 / (right - left);
            int first = -1, last = -1;
            for (var k = 0; k < FrequencyBins; k++)
            {
                var hz = (double)k * sampleRate / nFft;
                var rising = (hz - left) / (centre - left);
                var falling = (right - hz) / (right - centre);
                dense[k] = Math.Max(0.0, Math.Min(rising, falling)) * area;
                if (dense[k] > 0)
                {
                    first = first < 0 ? k : first;
                    last = k;
                }
            }

            _starts[m] = Math.Max(first, 0);
            _rows[m] = first < 0 ? [] : dense[first..(last + 1)];
        }
    }

    public int MelBins { get; }

    public int FrequencyBins { get; }

    /// <summary>The melBins + 2 mel-spaced frequencies in Hz: filter m rises from edge m, peaks at m+1, ends at m+2.</summary>
    public ReadOnlySpan<double> BandEdges => _bandEdges;

    public static SlaneyMelFilterbank Create(MelParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new SlaneyMelFilterbank(parameters.SampleRate, parameters.NFft, parameters.MelBins, parameters.FMin, parameters.FMax);
    }

    /// <summary>First FFT bin of filter m's non-zero span.</summary>
    public int RowStart(int mel) => _starts[mel];

    /// <summary>Filter m's non-zero weights, starting at <see cref="RowStart"/>.</summary>
    public ReadOnlySpan<double> Row(int mel) => _rows[mel];

    public double Weight(int mel, int bin)
    {
        var offset = bin - _starts[mel];
        return offset >= 0 && offset < _rows[mel].Length ? _rows[mel][offset] : 0.0;
    }

    /// <summary>mel = W · spectrum for one frame.</summary>
    public void Apply(ReadOnlySpan<double> spectrum, Span<double> mel)
    {
        CheckLengths(spectrum.Length, mel.Length);
        for (var m = 0; m < MelBins; m++)
        {
            var row = _rows[m];
            var bins = spectrum.Slice(_starts[m], row.Length);
            var sum = 0.0;
            for (var i = 0; i < row.Length; i++)
            {
                sum += row[i] * bins[i];
            }

            mel[m] = sum;
        }
    }

    /// <summary>spectrum = Wᵀ · mel for one frame.</summary>
    public void ApplyTransposed(ReadOnlySpan<double> mel, Span<double> spectrum)
    {
        CheckLengths(spectrum.Length, mel.Length);
        spectrum.Clear();
        for (var m = 0; m < MelBins; m++)
        {
            var row = _rows[m];
            var bins = spectrum.Slice(_starts[m], row.Length);
            for (var i = 0; i < row.Length; i++)
            {
                bins[i] += row[i] * mel[m];
            }
        }
    }

    private void CheckLengths(int spectrumLength, int melLength)
    {
        if (spectrumLength != FrequencyBins || melLength != MelBins)
        {
            throw new ArgumentException(
                $"Filterbank is {MelBins}x{FrequencyBins}; got a spectrum of {spectrumLength} and a mel frame of {melLength}.");
        }
    }
}
