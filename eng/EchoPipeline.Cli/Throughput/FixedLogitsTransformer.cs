using System.Collections.Concurrent;
using EchoPipeline.Engine.Generation.Transformer;

namespace EchoPipeline.Cli.Throughput;

/// <summary>
/// A transformer whose runs cost nothing and whose logits are fixed pseudo-random numbers of the paper's spread:
/// it isolates the engine's sampling from ONNX Runtime, so the figure says whether sampling keeps up with a GPU.
/// </summary>
internal sealed class FixedLogitsTransformer(TokenGrid audio, TokenGrid image) : ITokenTransformer
{
    private readonly ConcurrentDictionary<int, (float[] Audio, float[] Image)> _logits = new();

    /// <summary>The paper's grids: 265 audio and 256 image positions, 1024 codes each.</summary>
    public static FixedLogitsTransformer PaperSize() => new(new TokenGrid(265, 1024), new TokenGrid(256, 1024));

    public TokenGrid Audio { get; } = audio;

    public TokenGrid Image { get; } = image;

    /// <summary>A batch over logits made once per row count: making 8 M numbers would cost more than sampling them.</summary>
    public ITransformerBatch CreateBatch(int rows) => new Batch(this, rows, _logits.GetOrAdd(rows, n => (
        Logits(n * Audio.Length * Audio.Codebook, 1), Logits(n * Image.Length * Image.Codebook, 2))));

    /// <summary>Logits in [-6, 6) from a fixed linear congruential sequence: the same numbers on every run.</summary>
    public static float[] Logits(int count, uint seed)
    {
        var logits = new float[count];
        var state = seed;
        for (var i = 0; i < logits.Length; i++)
        {
            state = (state * 1664525u) + 1013904223u;
            logits[i] = ((state >> 8) * (12f / (1 << 24))) - 6f;
        }

        return logits;
    }

    private sealed class Batch(FixedLogitsTransformer model, int rows, (float[] Audio, float[] Image) logits) : ITransformerBatch
    {

        public int Rows { get; } = rows;

        public Memory<long> AudioTokens { get; } = new long[rows * model.Audio.Length];

        public Memory<long> ImageTokens { get; } = new long[rows * model.Image.Length];

        public ReadOnlyMemory<float> AudioLogits => logits.Audio;

        public ReadOnlyMemory<float> ImageLogits => logits.Image;

        public void Run(CancellationToken cancellationToken) => cancellationToken.ThrowIfCancellationRequested();

        public void Dispose()
        {
        }
    }
}
