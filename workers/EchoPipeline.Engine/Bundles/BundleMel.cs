using EchoPipeline.Engine.Audio;

namespace EchoPipeline.Engine.Bundles;

/// <summary>Maps the manifest's audio section onto the engine's mel front end settings.</summary>
public static class BundleMel
{
    /// <summary>The dB range [dbMin, dbMax] maps to [0,1]: reference dbMax, dynamic range dbMax - dbMin.</summary>
    public static MelParameters ToMelParameters(AudioSettings audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        return MelParameters.SpecVqgan with
        {
            SampleRate = audio.SampleRate,
            NFft = audio.NFft,
            HopLength = audio.HopLength,
            WinLength = audio.WinLength,
            MelBins = audio.MelBins,
            FMin = audio.FMin,
            FMax = audio.FMax,
            ClipSeconds = audio.ClipSeconds,
            FramesBeforeCrop = audio.FramesBeforeCrop,
            Frames = audio.Frames,
            ReferenceDb = audio.DbMax,
            DynamicRangeDb = audio.DbMax - audio.DbMin,
        };
    }

    /// <summary>The manifest's Griffin-Lim settings (used when the bundle has no vocoder).</summary>
    public static GriffinLimOptions ToGriffinLimOptions(AudioSettings audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        return GriffinLimOptions.Default with { Iterations = audio.GriffinLim.Iterations, Momentum = audio.GriffinLim.Momentum };
    }
}
