using EchoPipeline.Engine.Generation;
using EchoPipeline.Engine.Generation.Transformer;

namespace EchoPipeline.Engine.Tests.Generation.Unmasking;

/// <summary>
/// A deterministic stand-in for the transformer: each row's logits depend on the position, the code, the other
/// modality's tokens (so an all-MASK guide changes them) and how much of the row is revealed. Rows never interact.
/// Records the row count of every run; <see cref="RunDelay"/> makes a run slow for cancellation tests.
/// </summary>
internal sealed class FakeTransformer(TokenGrid audio, TokenGrid image) : ITokenTransformer
{
    public FakeTransformer()
        : this(new TokenGrid(12, 16), new TokenGrid(9, 8))
    {
    }

    public TokenGrid Audio { get; } = audio;

    public TokenGrid Image { get; } = image;

    public List<int> RunRows { get; } = [];

    public TimeSpan RunDelay { get; init; }

    public ITransformerBatch CreateBatch(int rows) => new Batch(this, rows);

    /// <summary>The logits of one row, for the reference loop in the tests.</summary>
    public float[] Logits(Modality modality, long[] audioRow, long[] imageRow)
    {
        var (self, other, grid, otherGrid) = modality == Modality.Audio
            ? (audioRow, imageRow, Audio, Image)
            : (imageRow, audioRow, Image, Audio);
        long guide = 0;
        foreach (var t in other)
        {
            guide = (guide * 31) + t;
        }

        var revealed = 0;
        foreach (var t in self)
        {
            revealed += t == grid.MaskId ? 0 : 1;
        }

        var logits = new float[grid.Length * grid.Codebook];
        for (var j = 0; j < grid.Length; j++)
        {
            for (var c = 0; c < grid.Codebook; c++)
            {
                var favourite = (int)(((j * 7) + Math.Abs(guide % 97) + other[j % otherGrid.Length]) % grid.Codebook) == c ? 2.5 : 0;
                logits[(j * grid.Codebook) + c] = (float)((1.5 * Math.Sin((0.37 * c) + (1.3 * j) + (0.01 * guide))) + favourite + (0.1 * (revealed % 5) * c / grid.Codebook));
            }
        }

        return logits;
    }

    private sealed class Batch(FakeTransformer model, int rows) : ITransformerBatch
    {
        private readonly long[] _audio = new long[rows * model.Audio.Length];
        private readonly long[] _image = new long[rows * model.Image.Length];
        private readonly float[] _audioLogits = new float[rows * model.Audio.Length * model.Audio.Codebook];
        private readonly float[] _imageLogits = new float[rows * model.Image.Length * model.Image.Codebook];

        public int Rows => rows;

        public Memory<long> AudioTokens => _audio;

        public Memory<long> ImageTokens => _image;

        public ReadOnlyMemory<float> AudioLogits => _audioLogits;

        public ReadOnlyMemory<float> ImageLogits => _imageLogits;

        public void Run(CancellationToken cancellationToken)
        {
            model.RunRows.Add(rows);
            if (model.RunDelay > TimeSpan.Zero)
            {
                cancellationToken.WaitHandle.WaitOne(model.RunDelay);
                cancellationToken.ThrowIfCancellationRequested();
            }

            var (la, li) = (model.Audio.Length, model.Image.Length);
            for (var r = 0; r < rows; r++)
            {
                var audio = _audio.AsSpan(r * la, la).ToArray();
                var image = _image.AsSpan(r * li, li).ToArray();
                model.Logits(Modality.Audio, audio, image).CopyTo(_audioLogits, r * la * model.Audio.Codebook);
                model.Logits(Modality.Image, audio, image).CopyTo(_imageLogits, r * li * model.Image.Codebook);
            }
        }

        public void Dispose()
        {
        }
    }
}
