using System.Text.Json;
using EchoPipeline.Engine.Generation;

namespace EchoPipeline.Engine.Bundles;

/// <summary>The bundle's sampling defaults resolved per generation mode (bundle.json <c>sampling.modes</c>).</summary>
public static class ModeDefaults
{
    /// <summary>The limits a manifest's defaults must keep: the ones a job's parameters are held to.</summary>
    public const int MaxSteps = 256;

    public const double MaxTemperature = 100;

    public const double MaxGuidance = 30;

    /// <summary>The names bundle.json uses for the modes: imageToAudio, audioToImage, coGeneration.</summary>
    public static IReadOnlyList<string> Keys { get; } = [.. Enum.GetValues<GenerationMode>().Select(Key)];

    public static string Key(GenerationMode mode) => JsonNamingPolicy.CamelCase.ConvertName(mode.ToString());

    /// <summary>Every mode's settings: the top-level values with the mode's overrides applied.</summary>
    public static IReadOnlyDictionary<GenerationMode, SamplingSettings> Resolve(SamplingDefaults sampling)
    {
        ArgumentNullException.ThrowIfNull(sampling);
        var common = new SamplingSettings(sampling.Steps, sampling.Temperature, (float)sampling.Guidance);
        return Enum.GetValues<GenerationMode>().ToDictionary(mode => mode, mode =>
            sampling.Modes?.GetValueOrDefault(Key(mode)) is { } o
                ? new SamplingSettings(o.Steps ?? common.Steps, o.Temperature ?? common.Temperature, o.Guidance is { } g ? (float)g : common.Guidance)
                : common);
    }
}
