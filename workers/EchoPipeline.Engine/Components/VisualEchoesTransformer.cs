using EchoPipeline.Engine.Bundles;
using EchoPipeline.Engine.Generation.Transformer;
using Microsoft.ML.OnnxRuntime;

namespace EchoPipeline.Engine.Components;

/// <summary>
/// The Visual Echoes transformer: [audio tokens, image tokens] (MASK = C) -> logits over the C real codes of each. A graph
/// without <c>image_logits</c> (an image->audio variant) has no image codebook of its own; it takes the bundle's.
/// </summary>
public sealed class VisualEchoesTransformer : OnnxComponent, ITokenTransformer
{
    private const string AudioLogitsName = "audio_logits";
    private const string ImageLogitsName = "image_logits";
    private static readonly string[] InputNames = ["audio_tokens", "image_tokens"];

    private readonly string[] _outputNames;

    /// <summary>A graph with both outputs; its grids come from the session.</summary>
    public VisualEchoesTransformer(InferenceSession session)
        : this(session, TransformerGraphs.Plain, imageCodebook: null)
    {
    }

    /// <param name="graph">The graph's name, for provenance: <see cref="TransformerGraphs.Plain"/> or a variant's.</param>
    /// <param name="imageCodebook">The image codebook size when the graph has no <c>image_logits</c> to read it from.</param>
    public VisualEchoesTransformer(InferenceSession session, string graph, int? imageCodebook)
        : base(session)
    {
        ArgumentNullException.ThrowIfNull(session);
        Graph = graph;
        HasImageLogits = session.OutputMetadata.ContainsKey(ImageLogitsName);
        _outputNames = HasImageLogits ? [AudioLogitsName, ImageLogitsName] : [AudioLogitsName];
        var audio = session.OutputMetadata[AudioLogitsName].Dimensions;
        Audio = new(audio[1], audio[2]);
        Image = HasImageLogits
            ? new(session.OutputMetadata[ImageLogitsName].Dimensions[1], session.OutputMetadata[ImageLogitsName].Dimensions[2])
            : new(session.InputMetadata["image_tokens"].Dimensions[1], imageCodebook ?? throw new ArgumentException("a graph without image_logits needs the image codebook size.", nameof(imageCodebook)));
    }

    public TokenGrid Audio { get; }

    public TokenGrid Image { get; }

    public bool HasImageLogits { get; }

    /// <summary>Which of the bundle's transformer graphs this is (<see cref="TransformerGraphs.Plain"/> or a variant's name).</summary>
    public string Graph { get; }

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
            _imageLogits = model.HasImageLogits ? new float[rows * i.Length * i.Codebook] : [];
            _inputs =
            [
                OrtValue.CreateTensorValueFromMemory(_audio, [rows, a.Length]),
                OrtValue.CreateTensorValueFromMemory(_image, [rows, i.Length]),
            ];
            _outputs = model.HasImageLogits
                ? [
                    OrtValue.CreateTensorValueFromMemory(_audioLogits, [rows, a.Length, a.Codebook]),
                    OrtValue.CreateTensorValueFromMemory(_imageLogits, [rows, i.Length, i.Codebook]),
                ]
                : [OrtValue.CreateTensorValueFromMemory(_audioLogits, [rows, a.Length, a.Codebook])];
        }

        public int Rows { get; }

        public Memory<long> AudioTokens => _audio;

        public Memory<long> ImageTokens => _image;

        public ReadOnlyMemory<float> AudioLogits => _audioLogits;

        /// <summary>Empty for a graph without image logits.</summary>
        public ReadOnlyMemory<float> ImageLogits => _imageLogits;

        public void Run(CancellationToken cancellationToken) => _model.Run(InputNames, _inputs, _model._outputNames, _outputs, cancellationToken);

        public void Dispose()
        {
            foreach (var value in _inputs.Concat(_outputs))
            {
                value.Dispose();
            }
        }
    }
}
