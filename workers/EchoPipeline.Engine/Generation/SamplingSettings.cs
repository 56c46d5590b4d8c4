namespace EchoPipeline.Engine.Generation;

/// <summary>N (steps), T (temperature of the confidence noise) and s (classifier-free guidance scale).</summary>
public sealed record SamplingSettings(int Steps, double Temperature, float Guidance)
{
    /// <summary>The paper's defaults.</summary>
    public static SamplingSettings Paper { get; } = new(30, 9, 3);

    public SamplingSettings For(EchoRequest request) =>
        new(request.Steps ?? Steps, request.Temperature ?? Temperature, request.Guidance ?? Guidance);
}
