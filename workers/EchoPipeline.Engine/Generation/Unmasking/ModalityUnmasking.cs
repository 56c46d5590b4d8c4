using EchoPipeline.Engine.Generation.Noise;
using EchoPipeline.Engine.Generation.Sampling;
using EchoPipeline.Engine.Generation.Transformer;

namespace EchoPipeline.Engine.Generation.Unmasking;

/// <summary>
/// The unmasking state of one target modality of one request: its tokens (MASK where still unknown) and
/// scratch buffers sized once. <see cref="Step"/> is DESIGN §3's loop body for this modality; positions are
/// sampled in parallel chunks (each position's result depends only on its own logits and noise).
/// </summary>
internal sealed class ModalityUnmasking
{
    private readonly TokenGrid _grid;
    private readonly long[] _tokens;
    private readonly int _unknownAtStart;
    private readonly double[] _uniforms;
    private readonly double[] _gumbels;
    private readonly double[] _confidence;
    private readonly long[] _sampled;
    private readonly (double, int)[] _ranked;
    private readonly int[] _remask;
    private readonly PositionScratch[] _chunks;
    private int _masked;

    public ModalityUnmasking(Modality modality, TokenGrid grid, long[] knownOrUnknown, int steps)
    {
        Modality = modality;
        _grid = grid;
        _tokens = knownOrUnknown.Select(t => t == ModalityTokens.Unknown ? grid.MaskId : t).ToArray();
        _unknownAtStart = _masked = knownOrUnknown.Count(t => t == ModalityTokens.Unknown);
        (_uniforms, _gumbels, _confidence) = (new double[grid.Length], new double[grid.Length], new double[grid.Length]);
        _sampled = new long[grid.Length];
        _ranked = new (double, int)[grid.Length];
        _remask = new int[grid.Length];
        _chunks = Enumerable.Range(0, Math.Clamp(Environment.ProcessorCount, 1, 16)).Select(_ => new PositionScratch(grid.Codebook)).ToArray();
        MaskedAfterStep = new int[steps];
    }

    public Modality Modality { get; }

    public ReadOnlySpan<long> Tokens => _tokens;

    public int[] MaskedAfterStep { get; }

    /// <param name="conditional">This request's logits [L, C] given the guide.</param>
    /// <param name="unconditional">The logits with an all-MASK guide, or empty when unguided.</param>
    public void Step(int step, ReadOnlyMemory<float> conditional, ReadOnlyMemory<float> unconditional, float guidance, double temperature, IUnmaskNoise noise)
    {
        var steps = MaskedAfterStep.Length;
        if (step >= steps)
        {
            return;
        }

        noise.Fill(Modality, step, _uniforms, _gumbels);
        var ratio = (step + 1) / (double)steps;
        var length = _tokens.Length;
        Parallel.For(0, _chunks.Length, chunk =>
        {
            var (from, to) = (chunk * length / _chunks.Length, (chunk + 1) * length / _chunks.Length);
            for (var j = from; j < to; j++)
            {
                Sample(j, conditional.Span, unconditional.Span, guidance, temperature, ratio, _chunks[chunk]);
            }
        });

        var remaskCount = UnmaskSchedule.MaskedAfterStep(_unknownAtStart, _masked, step, steps);
        ConfidenceRanker.SelectLowest(_confidence, remaskCount, _ranked, _remask);
        _sampled.CopyTo(_tokens, 0);
        foreach (var j in _remask.AsSpan(0, remaskCount))
        {
            _tokens[j] = _grid.MaskId;
        }

        _masked = MaskedAfterStep[step] = remaskCount;
    }

    private void Sample(int j, ReadOnlySpan<float> conditional, ReadOnlySpan<float> unconditional, float guidance, double temperature, double ratio, PositionScratch scratch)
    {
        if (_tokens[j] != _grid.MaskId)
        {
            (_sampled[j], _confidence[j]) = (_tokens[j], double.PositiveInfinity);
            return;
        }

        var c = _grid.Codebook;
        var logits = conditional.Slice(j * c, c);
        if (!unconditional.IsEmpty)
        {
            ClassifierFreeGuidance.Combine(logits, unconditional.Slice(j * c, c), guidance, scratch.Guided);
            logits = scratch.Guided;
        }

        TokenSampler.Softmax(logits, scratch.Probabilities);
        var id = TokenSampler.SampleInverseCdf(scratch.Probabilities, _uniforms[j]);
        _sampled[j] = id;
        _confidence[j] = ConfidenceRanker.Confidence(scratch.Probabilities[id], temperature, ratio, _gumbels[j]);
    }

    private sealed class PositionScratch(int codebook)
    {
        public float[] Guided { get; } = new float[codebook];

        public double[] Probabilities { get; } = new double[codebook];
    }
}
