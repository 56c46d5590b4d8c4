namespace EchoPipeline.Engine.Generation.Transformer;

/// <summary>
/// A fixed number of rows of transformer input and output. Write the tokens, call <see cref="Run"/>, read the logits
/// (row-major [rows, L, C]); the buffers stay the same across runs.
/// </summary>
public interface ITransformerBatch : IDisposable
{
    int Rows { get; }

    Memory<long> AudioTokens { get; }

    Memory<long> ImageTokens { get; }

    ReadOnlyMemory<float> AudioLogits { get; }

    ReadOnlyMemory<float> ImageLogits { get; }

    /// <summary>Runs the model; throws <see cref="OperationCanceledException"/> promptly when cancelled mid-run.</summary>
    void Run(CancellationToken cancellationToken);
}
