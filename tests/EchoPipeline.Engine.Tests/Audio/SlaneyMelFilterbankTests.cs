using System.Text.Json;
using EchoPipeline.Engine.Audio;
using EchoPipeline.Testing;

namespace EchoPipeline.Engine.Tests.Audio;

public sealed class SlaneyMelFilterbankTests
{
    private const double BinHz = 22050.0 / 1024;
    private readonly SlaneyMelFilterbank _bank = SlaneyMelFilterbank.Create(MelParameters.SpecVqgan);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(500, 7.5)]        // linear part: f / (200/3)
    [InlineData(1000, 15)]        // the break point
    [InlineData(6400, 42)]        // log part: 27 mel per factor 6.4 above 1 kHz
    [InlineData(1000 * 6.4 * 6.4, 69)]
    public void Mel_scale_matches_slaney_by_hand(double hz, double mel)
    {
        Assert.Equal(mel, SlaneyMelScale.HzToMel(hz), 1e-12);
        Assert.Equal(hz, SlaneyMelScale.MelToHz(mel), 1e-9);
    }

    [Fact]
    public void Matches_the_numpy_reference_weight_for_weight()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(RepoPaths.Fixture("dsp", "slaney_mel_22050_1024_80_125_7600.json")));
        var rows = json.RootElement.GetProperty("rows");
        Assert.Equal(80, rows.GetArrayLength());
        Assert.Equal(80, _bank.MelBins);
        Assert.Equal(513, _bank.FrequencyBins);
        var edges = json.RootElement.GetProperty("band_edges_hz").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(edges.Length, _bank.BandEdges.Length);
        for (var i = 0; i < edges.Length; i++)
        {
            Assert.Equal(edges[i], _bank.BandEdges[i], 1e-9);
        }

        for (var m = 0; m < 80; m++)
        {
            var start = rows[m].GetProperty("start").GetInt32();
            var weights = rows[m].GetProperty("weights").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            for (var k = 0; k < 513; k++)
            {
                var expected = k >= start && k < start + weights.Length ? weights[k - start] : 0.0;
                Assert.True(Math.Abs(expected - _bank.Weight(m, k)) < 1e-12, $"filter {m} bin {k}: {_bank.Weight(m, k)} vs {expected}");
            }
        }
    }

    [Fact]
    public void Filters_peak_at_their_mel_spaced_centres_and_have_unit_area_in_hz()
    {
        var low = SlaneyMelScale.HzToMel(125);
        var step = (SlaneyMelScale.HzToMel(7600) - low) / 81;
        Assert.Equal(125, _bank.BandEdges[0], 1e-9);
        Assert.Equal(7600, _bank.BandEdges[81], 1e-9);
        for (var m = 0; m < 80; m++)
        {
            var centre = SlaneyMelScale.MelToHz(low + ((m + 1) * step));
            Assert.Equal(centre, _bank.BandEdges[m + 1], 1e-9);
            var row = _bank.Row(m).ToArray();
            var peakHz = (_bank.RowStart(m) + Array.IndexOf(row, row.Max())) * BinHz;
            Assert.True(Math.Abs(peakHz - centre) < BinHz, $"filter {m} peaks at {peakHz} Hz, centre {centre} Hz");

            // Slaney normalisation: height 2 / (right - left), so the continuous triangle has area 1 (in Hz).
            // Sampled every BinHz the sum is within 10% for the narrow low filters and 1% from filter 50 (≥ 8 bins) up.
            var height = 2 / (_bank.BandEdges[m + 2] - _bank.BandEdges[m]);
            Assert.True(row.Max() <= height * (1 + 1e-12));
            var area = row.Sum() * BinHz;
            Assert.True(Math.Abs(area - 1) < (m >= 50 ? 0.01 : 0.1), $"filter {m} area {area}");
        }
    }

    [Fact]
    public void Apply_and_its_transpose_agree_with_the_dense_weights()
    {
        var random = new Random(7);
        var spectrum = Enumerable.Range(0, 513).Select(_ => random.NextDouble()).ToArray();
        var mel = Enumerable.Range(0, 80).Select(_ => random.NextDouble()).ToArray();
        var melOut = new double[80];
        var specOut = new double[513];

        _bank.Apply(spectrum, melOut);
        _bank.ApplyTransposed(mel, specOut);

        for (var m = 0; m < 80; m++)
        {
            Assert.Equal(Enumerable.Range(0, 513).Sum(k => _bank.Weight(m, k) * spectrum[k]), melOut[m], 1e-12);
        }

        for (var k = 0; k < 513; k++)
        {
            Assert.Equal(Enumerable.Range(0, 80).Sum(m => _bank.Weight(m, k) * mel[m]), specOut[k], 1e-12);
        }
    }
}
