using EchoPipeline.Engine.Generation.Transformer;
using Microsoft.ML.OnnxRuntime;

namespace EchoPipeline.Engine.Components;

/// <summary>The Visual Echoes transformer: [audio tokens, image tokens] (MASK = C) -> logits over the C real codes of each.</summary>
public sealed class VisualEchoesTransformer(InferenceSession session) : OnnxComponent(session), ITokenTransformer
{
    private static readonly string[] InputNames = ["audio_tokens", "image_tokens"];
    private static readonly string[] OutputNames = ["audio_logits", "image_logits"];

    public TokenGrid Audio { get; } = new(session.OutputMetadata["audio_logits"].Dimensions[1], session.OutputMetadata["audio_logits"].Dimensions[2]);

    public TokenGrid Image { get; } = new(session.OutputMetadata["image_logits"].Dimensions[1], session.OutputMetadata["image_logits"].Dimensions[2]);

    public ITransformerBatch CreateBatch(int rows) => new Batch(this, rows);

    /// <summary>Tensors over managed buffers, created once per batch and reused by every step (no per-step allocation).</summary>
    private sealed class Batch : ITransformerBatch
    {
        private readonly VisualEchoesTransformer _model;
        private readonly long[] _audio;
        private readonly long[] _image;
        private readonly float[] _audioLogits;
        private readonly float[] _imageLogits;
        private readonly OrtValue[] _inputs;
        private readonly OrtValue[] _outputs;

        public Batch(VisualEchoesTransformer model, int rows)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
            (_model, Rows) = (model, rows);
            var (a, i) = (model.Audio, model.Image);
            _audio = new long[rows * a.Length];
            _image = new long[rows * i.Length];
            _audioLogits = new float[rows * a.Length * a.Codebook];
            _imageLogits = new float[rows * i.Length * i.Codebook];
            _inputs =
            [
                OrtValue.CreateTensorValueFromMemory(_audio, [rows, a.Length]),
                OrtValue.CreateTensorValueFromMemory(_image, [rows, i.Length]),
            ];
            _outputs =
            [
                OrtValue.CreateTensorValueFromMemory(_audioLogits, [rows, a.Length, a.Codebook]),
                OrtValue.CreateTensorValueFromMemory(_imageLogits, [rows, i.Length, i.Codebook]),
            ];
        }

        public int Rows { get; }

        public Memory<long> AudioTokens => _audio;

        public Memory<long> ImageTokens => _image;

        public ReadOnlyMemory<float> AudioLogits => _audioLogits;

        public ReadOnlyMemory<float> ImageLogits => _imageLogits;

        public void Run(CancellationToken cancellationToken) => _model.Run(InputNames, _inputs, OutputNames, _outputs, cancellationToken);

        public void Dispose()
        {
            foreach (var value in _inputs.Concat(_outputs))
            {
                value.Dispose();
            }
        }
    }
}
