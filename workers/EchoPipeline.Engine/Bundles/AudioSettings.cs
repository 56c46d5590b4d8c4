namespace EchoPipeline.Engine.Bundles;

/// <summary>The mel front end the bundle's audio codec was trained with, and the output length it decodes to.</summary>
public sealed record AudioSettings(
    int SampleRate,
    int NFft,
    int HopLength,
    int WinLength,
    int MelBins,
    double FMin,
    double FMax,
    double ClipSeconds,
    int FramesBeforeCrop,
    int Frames,
    double DbMin,
    double DbMax,
    int Samples,
    GriffinLimSettings GriffinLim);

/// <summary>Fast Griffin-Lim settings, used when the bundle has no vocoder.</summary>
public sealed record GriffinLimSettings(int Iterations, double Momentum);
