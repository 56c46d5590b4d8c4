using EchoPipeline.Engine.Audio;

namespace EchoPipeline.Engine.Tests.Audio;

public sealed class StftTests
{
    private readonly Stft _stft = Stft.Create(MelParameters.SpecVqgan);

    [Fact]
    public void Window_is_the_periodic_hann_of_torch_hann_window()
    {
        var w = _stft.Window;
        Assert.Equal(1024, w.Length);
        Assert.Equal(0.0, w[0]);
        Assert.Equal(1.0, w[512], 1e-12);   // periodic: the peak sits at N/2, not between samples
        Assert.Equal(0.5, w[256], 1e-12);
        Assert.Equal(w[1], w[1023], 1e-12);
    }

    [Fact]
    public void Magnitude_matches_the_numpy_reference_including_the_reflect_padded_edges()
    {
        // tools/dsp_reference.py: np.pad(mode='reflect') + np.fft.rfft, float64, stored as float32.
        var expected = TestSignals.ReadFloat32("stft_magnitude_short_12x513.f32");
        var signal = TestSignals.ToDouble(TestSignals.Short());
        Assert.Equal(12, _stft.FrameCount(signal.Length));
        var magnitude = new double[12 * 513];

        _stft.Magnitude(signal, 0, magnitude);

        // Relative 1e-6 covers the float32 storage of the reference (6e-8) with margin.
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(magnitude[i] - expected[i]) <= 1e-6 * (1 + expected[i]),
                $"frame {i / 513} bin {i % 513}: {magnitude[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void Inverse_of_forward_restores_the_signal()
    {
        var signal = TestSignals.ToDouble(TestSignals.Short());
        var frames = _stft.FrameCount(signal.Length);
        double[] re = new double[frames * 513], im = new double[frames * 513];
        _stft.Forward(signal, 0, re, im);
        var restored = new double[signal.Length];

        _stft.Inverse(re, im, restored);

        Assert.True(signal.Zip(restored, (a, b) => Math.Abs(a - b)).Max() < 1e-12);
    }

    [Fact]
    public void Inverses_of_other_shapes_in_between_do_not_change_the_normalisation()
    {
        // The window-sum normalisation is kept per shape (frames, length): each of these needs its own.
        var signal = TestSignals.ToDouble(TestSignals.Short());
        var frames = _stft.FrameCount(signal.Length);
        double[] re = new double[frames * 513], im = new double[frames * 513];
        _stft.Forward(signal, 0, re, im);
        double[] shorter = new double[signal.Length - 700], full = new double[signal.Length], sixFrames = new double[signal.Length];

        _stft.Inverse(re, im, shorter);
        _stft.Inverse(re, im, full);
        _stft.Inverse(re.AsSpan(0, 6 * 513), im.AsSpan(0, 6 * 513), sixFrames);

        Assert.True(signal.Zip(full, (a, b) => Math.Abs(a - b)).Max() < 1e-12);
        Assert.Equal(full[..shorter.Length], shorter);
        // Frames 0..5 cover samples up to 5 * 256 + 512: restored there (divided by their own window sum, not the full
        // one, which also counts frames 6..8) short of the last frame's fading edge, and zero after.
        const int covered = (5 * 256) + 512;
        Assert.True(signal.Take(covered - 128).Zip(sixFrames, (a, b) => Math.Abs(a - b)).Max() < 1e-12);
        Assert.All(sixFrames[covered..], x => Assert.Equal(0.0, x));
    }

    [Fact]
    public void Forward_from_a_later_frame_equals_the_same_rows_of_the_full_transform()
    {
        var signal = TestSignals.ToDouble(TestSignals.Short());
        double[] allRe = new double[12 * 513], allIm = new double[12 * 513];
        double[] partRe = new double[3 * 513], partIm = new double[3 * 513];
        _stft.Forward(signal, 0, allRe, allIm);

        _stft.Forward(signal, 9, partRe, partIm);

        Assert.Equal(allRe[(9 * 513)..], partRe);
        Assert.Equal(allIm[(9 * 513)..], partIm);
    }

    [Fact]
    public void Rejects_frames_past_the_end_and_signals_too_short_to_reflect()
    {
        var signal = new double[3000];
        var tooMany = Assert.Throws<ArgumentOutOfRangeException>(() => _stft.Magnitude(signal, 10, new double[3 * 513]));
        Assert.Contains("exceed the 12 frames", tooMany.Message, StringComparison.Ordinal);
        var tooShort = Assert.Throws<ArgumentException>(() => _stft.Magnitude(new double[512], 0, new double[513]));
        Assert.Contains("longer than", tooShort.Message, StringComparison.Ordinal);
    }
}
