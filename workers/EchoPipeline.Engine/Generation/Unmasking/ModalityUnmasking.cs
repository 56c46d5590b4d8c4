using EchoPipeline.Engine.Generation.Noise;
using EchoPipeline.Engine.Generation.Sampling;
using EchoPipeline.Engine.Generation.Transformer;

namespace EchoPipeline.Engine.Generation.Unmasking;

/// <summary>
/// The unmasking state of one target modality of one request: its tokens (MASK where still unknown) and
/// scratch buffers sized once. <see cref="Step"/> is DESIGN §3's loop body for this modality.
/// </summary>
internal sealed class ModalityUnmasking
{
    private readonly TokenGrid _grid;
    private readonly long[] _tokens;
    private readonly int _unknownAtStart;
    private readonly float[] _guided;
    private readonly double[] _probabilities;
    private readonly double[] _uniforms;
    private readonly double[] _gumbels;
    private readonly double[] _confidence;
    private readonly long[] _sampled;
    private readonly (double, int)[] _ranked;
    private readonly int[] _remask;
    private int _masked;

    public ModalityUnmasking(Modality modality, TokenGrid grid, long[] knownOrUnknown, int steps)
    {
        Modality = modality;
        _grid = grid;
        _tokens = knownOrUnknown.Select(t => t == ModalityTokens.Unknown ? grid.MaskId : t).ToArray();
        _unknownAtStart = _masked = knownOrUnknown.Count(t => t == ModalityTokens.Unknown);
        _guided = new float[grid.Codebook];
        _probabilities = new double[grid.Codebook];
        (_uniforms, _gumbels, _confidence) = (new double[grid.Length], new double[grid.Length], new double[grid.Length]);
        _sampled = new long[grid.Length];
        _ranked = new (double, int)[grid.Length];
        _remask = new int[grid.Length];
        MaskedAfterStep = new int[steps];
    }

    public Modality Modality { get; }

    public ReadOnlySpan<long> Tokens => _tokens;

    public int[] MaskedAfterStep { get; }

    /// <param name="conditional">This request's logits [L, C] given the guide.</param>
    /// <param name="unconditional">The logits with an all-MASK guide, or empty when unguided.</param>
    public void Step(int step, ReadOnlySpan<float> conditional, ReadOnlySpan<float> unconditional, float guidance, double temperature, IUnmaskNoise noise)
    {
        var steps = MaskedAfterStep.Length;
        if (step >= steps)
        {
            return;
        }

        noise.Fill(Modality, step, _uniforms, _gumbels);
        var ratio = (step + 1) / (double)steps;
        var c = _grid.Codebook;
        for (var j = 0; j < _tokens.Length; j++)
        {
            if (_tokens[j] != _grid.MaskId)
            {
                (_sampled[j], _confidence[j]) = (_tokens[j], double.PositiveInfinity);
                continue;
            }

            var logits = conditional.Slice(j * c, c);
            if (!unconditional.IsEmpty)
            {
                ClassifierFreeGuidance.Combine(logits, unconditional.Slice(j * c, c), guidance, _guided);
                logits = _guided;
            }

            TokenSampler.Softmax(logits, _probabilities);
            var id = TokenSampler.SampleInverseCdf(_probabilities, _uniforms[j]);
            _sampled[j] = id;
            _confidence[j] = ConfidenceRanker.Confidence(_probabilities[id], temperature, ratio, _gumbels[j]);
        }

        var remaskCount = UnmaskSchedule.MaskedAfterStep(_unknownAtStart, _masked, step, steps);
        ConfidenceRanker.SelectLowest(_confidence, remaskCount, _ranked, _remask);
        _sampled.CopyTo(_tokens, 0);
        foreach (var j in _remask.AsSpan(0, remaskCount))
        {
            _tokens[j] = _grid.MaskId;
        }

        _masked = MaskedAfterStep[step] = remaskCount;
    }
}
