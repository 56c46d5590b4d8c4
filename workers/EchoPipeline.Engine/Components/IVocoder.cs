namespace EchoPipeline.Engine.Components;

/// <summary>Mel [0, 1] -> waveform: the bundle's ONNX vocoder, or Griffin-Lim when it has none.</summary>
public interface IVocoder
{
    /// <summary>Samples per clip.</summary>
    int Samples { get; }

    /// <summary>Waveforms [rows, Samples] for mels [rows, 80, 848] in [0, 1], row-major.</summary>
    float[] Synthesize(float[] mels, CancellationToken cancellationToken = default);
}
