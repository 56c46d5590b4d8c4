using EchoPipeline.Engine.Generation.Noise;
using EchoPipeline.Engine.Generation.Sampling;
using EchoPipeline.Engine.Generation.Transformer;

namespace EchoPipeline.Engine.Generation.Unmasking;

/// <summary>
/// The unmasking state of one target modality of one request: its tokens (MASK where still unknown) and
/// scratch buffers sized once. <see cref="BeginStep"/>, <see cref="SampleChunk"/> and
/// <see cref="EndStep"/> are DESIGN §3's loop body; chunks may run in parallel (a position depends only on its own logits and noise).
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
    private readonly IUnmaskNoise _noise;
    private readonly double _temperature;
    private readonly float _guidance;
    private readonly GuidanceSpace _guidanceSpace;
    private int _masked;
    private double _ratio;

    public ModalityUnmasking(Modality modality, TokenGrid grid, long[] knownOrUnknown, UnmaskRequest request, GuidanceSpace guidanceSpace)
    {
        Modality = modality;
        (_noise, _temperature, _guidance, _guidanceSpace) = (request.Noise, request.Temperature, request.EffectiveGuidance, guidanceSpace);
        _grid = grid;
        _tokens = knownOrUnknown.Select(t => t == ModalityTokens.Unknown ? grid.MaskId : t).ToArray();
        _unknownAtStart = _masked = knownOrUnknown.Count(t => t == ModalityTokens.Unknown);
        (_uniforms, _gumbels, _confidence) = (new double[grid.Length], new double[grid.Length], new double[grid.Length]);
        _sampled = new long[grid.Length];
        _ranked = new (double, int)[grid.Length];
        _remask = new int[grid.Length];
        _chunks = Enumerable.Range(0, ChunksFor(grid)).Select(_ => new PositionScratch(grid.Codebook)).ToArray();
        MaskedAfterStep = new int[request.Steps];
    }

    public Modality Modality { get; }

    public ReadOnlySpan<long> Tokens => _tokens;

    public int[] MaskedAfterStep { get; }

    /// <summary>Positions are sampled in this many independent chunks (any order, any thread).</summary>
    public int ChunkCount => _chunks.Length;

    /// <summary>Starts step <paramref name="step"/>: draws its noise. False when this request has already finished.</summary>
    public bool BeginStep(int step)
    {
        if (step >= MaskedAfterStep.Length)
        {
            return false;
        }

        _noise.Fill(Modality, step, _uniforms, _gumbels);
        _ratio = (step + 1) / (double)MaskedAfterStep.Length;
        return true;
    }

    /// <summary>Samples the masked positions of one chunk.</summary>
    /// <param name="conditional">This request's logits [L, C] given the guide.</param>
    /// <param name="unconditional">The logits with an all-MASK guide, or empty when unguided.</param>
    public void SampleChunk(int chunk, ReadOnlySpan<float> conditional, ReadOnlySpan<float> unconditional)
    {
        var length = _tokens.Length;
        var (from, to) = (chunk * length / _chunks.Length, (chunk + 1) * length / _chunks.Length);
        for (var j = from; j < to; j++)
        {
            Sample(j, conditional, unconditional, _chunks[chunk]);
        }
    }

    /// <summary>Ends the step: re-masks the lowest-confidence positions per the schedule; the rest keep their samples.</summary>
    public void EndStep(int step)
    {
        var steps = MaskedAfterStep.Length;
        var remaskCount = UnmaskSchedule.MaskedAfterStep(_unknownAtStart, _masked, step, steps);
        ConfidenceRanker.SelectLowest(_confidence, remaskCount, _ranked, _remask);
        _sampled.CopyTo(_tokens, 0);
        foreach (var j in _remask.AsSpan(0, remaskCount))
        {
            _tokens[j] = _grid.MaskId;
        }

        _masked = MaskedAfterStep[step] = remaskCount;
    }

    /// <summary>
    /// About 64K logits per chunk: below that, handing work to another thread costs more than it saves
    /// (the paper's 265 x 1024 audio logits make 4 chunks per request; a small test model's, one).
    /// </summary>
    private static int ChunksFor(TokenGrid grid) =>
        Math.Clamp(grid.Length * grid.Codebook / 65536, 1, Math.Max(1, Environment.ProcessorCount));

    private void Sample(int j, ReadOnlySpan<float> conditional, ReadOnlySpan<float> unconditional, PositionScratch scratch)
    {
        if (_tokens[j] != _grid.MaskId)
        {
            (_sampled[j], _confidence[j]) = (_tokens[j], double.PositiveInfinity);
            return;
        }

        var c = _grid.Codebook;
        var logits = conditional.Slice(j * c, c);
        if (unconditional.IsEmpty)
        {
            TokenSampler.Softmax(logits, scratch.Probabilities);
        }
        else if (_guidanceSpace == GuidanceSpace.Logits)
        {
            ClassifierFreeGuidance.Combine(logits, unconditional.Slice(j * c, c), _guidance, scratch.GuidedLogits);
            TokenSampler.Softmax(scratch.GuidedLogits, scratch.Probabilities);
        }
        else
        {
            TokenSampler.Softmax(logits, scratch.Probabilities);
            TokenSampler.Softmax(unconditional.Slice(j * c, c), scratch.Unconditional);
            ClassifierFreeGuidance.CombineProbabilities(scratch.Probabilities, scratch.Unconditional, _guidance, scratch.Probabilities);
        }

        var id = TokenSampler.SampleInverseCdf(scratch.Probabilities, _uniforms[j]);
        _sampled[j] = id;
        _confidence[j] = ConfidenceRanker.Confidence(scratch.Probabilities[id], _temperature, _ratio, _gumbels[j]);
    }

    private sealed class PositionScratch(int codebook)
    {
        public float[] GuidedLogits { get; } = new float[codebook];

        public double[] Unconditional { get; } = new double[codebook];

        public double[] Probabilities { get; } = new double[codebook];
    }
}
