using EchoPipeline.Engine.Audio;
using EchoPipeline.Engine.Generation.Continuation;
using EchoPipeline.Worker.Processing;

namespace EchoPipeline.Worker.Tests.Processing;

/// <summary>The spectrogram of a long soundtrack is drawn from its windows' mels, stitched the way the waveform is.</summary>
public sealed class SoundtrackMelTests
{
    private static readonly MelParameters Mel = MelParameters.SpecVqgan;

    [Fact]
    public void One_window_is_its_own_mel()
    {
        var window = Window(0.25f);

        var mel = SoundtrackMel.Of(Mel, 53, [window], [new WindowPlacement(0, 0)]);

        Assert.Equal((80, 848), (mel.Bins, mel.Frames));
        Assert.Equal(window, mel.Values);
    }

    [Fact]
    public void Further_windows_add_only_their_new_columns_so_the_mel_spans_the_waveform()
    {
        // 848 frames = 53 columns of 16; 8 context columns = 128 frames repeat the previous window. Three windows:
        // 848 + 2 x 720 = 2288 frames = 2288 x 256 samples, the (53 + 45 + 45) x 4096 samples the waveform has.
        var mel = SoundtrackMel.Of(Mel, 53, [Window(0.1f), Window(0.2f), Window(0.3f)], [new WindowPlacement(0, 0), new WindowPlacement(45 * 4096, 8), new WindowPlacement(90 * 4096, 8)]);

        Assert.Equal(2288, mel.Frames);
        Assert.Equal((53 + 45 + 45) * 4096, mel.Frames * mel.HopLength);
        foreach (var bin in (int[])[0, 41, 79])
        {
            var row = mel.Values.AsSpan(bin * mel.Frames, mel.Frames);
            // Window 1's own first frame (its frame 128) follows window 0's last; it is marked with its bin.
            Assert.Equal(0.1f, row[847]);
            Assert.Equal(0.2f + (bin / 1000f), row[848]);
            Assert.Equal(0.2f, row[848 + 719]);
            Assert.Equal(0.3f + (bin / 1000f), row[848 + 720]);
        }
    }

    [Fact]
    public void A_window_that_starts_a_shot_is_drawn_whole_from_its_cut_and_the_length_trims_the_end()
    {
        // Shot 2 starts at 10 s = 220500 samples = frame 861.3, drawn from frame 861 on over shot 1's run-on;
        // 12 s of audio is ceil(264600 / 256) = 1034 frames.
        var mel = SoundtrackMel.Of(Mel, 53, [Window(0.1f), Window(0.2f), Window(0.3f)],
            [new WindowPlacement(0, 0), new WindowPlacement(2 * 4096, 51), new WindowPlacement(220500, 0)], lengthSamples: 264600);

        Assert.Equal(1034, mel.Frames);
        var row = mel.Values.AsSpan(0, mel.Frames);
        Assert.Equal(0.1f, row[2 * 16]);
        Assert.Equal(0.2f, row[(2 * 16) + (51 * 16)]);
        Assert.Equal(0.2f, row[860]);
        Assert.Equal(0.3f, row[861]);
        Assert.Equal(0.3f, row[1033]);
    }

    /// <summary>A window of one value, except that the first frame after the context (128) holds value + bin / 1000.</summary>
    private static float[] Window(float value)
    {
        var values = Enumerable.Repeat(value, 80 * 848).ToArray();
        for (var bin = 0; bin < 80; bin++)
        {
            values[(bin * 848) + 128] = value + (bin / 1000f);
        }

        return values;
    }
}
