using EchoPipeline.Engine.Generation.Sampling;
using EchoPipeline.Engine.Generation.Transformer;

namespace EchoPipeline.Engine.Generation.Unmasking;

/// <summary>
/// Guided iterative unmasking (DESIGN §3) for a batch of B requests through one transformer. With guidance,
/// each step is ONE run of 2B rows: rows 0..B-1 conditional, rows B..2B-1 the same targets with an all-MASK guide.
/// Each request draws its noise from its own source, so its tokens do not depend on what shares the batch.
/// Co-generation unmasks both modalities in every step, each on its own schedule (the paper's "same unmask policy,
/// image and audio tokens generated simultaneously in every iteration"). <paramref name="guidanceSpace"/> is where
/// guidance mixes the two rows' predictions (the bundle's <c>sampling.guidanceSpace</c>). Sampling runs on up to
/// <paramref name="maxDegreeOfParallelism"/> threads (-1: every core); the tokens are the same on any number.
/// </summary>
public sealed class GuidedUnmasker(ITokenTransformer transformer, GuidanceSpace guidanceSpace = GuidanceSpace.Logits, int maxDegreeOfParallelism = -1)
{
    public IReadOnlyList<UnmaskResult> Run(IReadOnlyList<UnmaskRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfZero(requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            UnmaskRequestValidator.Validate(requests[i], i, transformer);
        }

        var b = requests.Count;
        var guided = requests.Any(r => ClassifierFreeGuidance.IsActive(r.EffectiveGuidance));
        var states = requests.Select((r, i) => new RequestState(r, transformer, guidanceSpace, i, guided ? b + i : -1)).ToArray();
        var steps = requests.Max(r => r.Steps);
        using var batch = transformer.CreateBatch(guided ? 2 * b : b);
        for (var t = 0; t < steps; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var state in states)
            {
                state.WriteRows(batch);
            }

            batch.Run(cancellationToken);
            var active = states.SelectMany(s => s.Targets).Where(target => target.Unmasking.BeginStep(t)).ToArray();

            // One flat loop over (target, chunk): no nested parallel loops, every core busy even at B = 1.
            var work = active.SelectMany(target => Enumerable.Range(0, target.Unmasking.ChunkCount).Select(chunk => (target, chunk))).ToArray();
            Parallel.For(0, work.Length, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken }, k =>
                work[k].target.SampleChunk(work[k].chunk, batch));
            foreach (var target in active)
            {
                target.Unmasking.EndStep(t);
            }
        }

        return states.Select(s => s.Result()).ToArray();
    }

    /// <summary>A target modality of one request, and where its logits are in the batch.</summary>
    private sealed record Target(ModalityUnmasking Unmasking, int Row, int UnconditionalRow, int RowSize)
    {
        public void SampleChunk(int chunk, ITransformerBatch batch)
        {
            var logits = (Unmasking.Modality == Modality.Audio ? batch.AudioLogits : batch.ImageLogits).Span;
            var unconditional = UnconditionalRow >= 0 ? logits.Slice(UnconditionalRow * RowSize, RowSize) : [];
            Unmasking.SampleChunk(chunk, logits.Slice(Row * RowSize, RowSize), unconditional);
        }
    }

    private sealed class RequestState
    {
        private readonly UnmaskRequest _request;
        private readonly GuidanceSpace _guidanceSpace;
        private readonly TokenGrid[] _grids;
        private readonly ModalityUnmasking?[] _byModality;
        private readonly int _row;
        private readonly int _unconditionalRow;

        public RequestState(UnmaskRequest request, ITokenTransformer transformer, GuidanceSpace guidanceSpace, int row, int unconditionalRow)
        {
            (_request, _guidanceSpace, _row, _unconditionalRow) = (request, guidanceSpace, row, unconditionalRow);
            _grids = [transformer.Audio, transformer.Image];
            _byModality = [Unmasking(Modality.Audio), Unmasking(Modality.Image)];

            // A request with s = 1 in a guided batch ignores its unconditional rows.
            var useUnconditional = unconditionalRow >= 0 && ClassifierFreeGuidance.IsActive(request.EffectiveGuidance);
            Targets = _byModality.OfType<ModalityUnmasking>()
                .Select(u => new Target(u, row, useUnconditional ? unconditionalRow : -1, _grids[(int)u.Modality].Length * _grids[(int)u.Modality].Codebook))
                .ToArray();
        }

        public Target[] Targets { get; }

        public void WriteRows(ITransformerBatch batch)
        {
            foreach (var modality in (ReadOnlySpan<Modality>)[Modality.Audio, Modality.Image])
            {
                var tokens = Tokens(modality);
                var length = _grids[(int)modality].Length;
                var input = (modality == Modality.Audio ? batch.AudioTokens : batch.ImageTokens).Span;
                tokens.CopyTo(input.Slice(_row * length, length));
                if (_unconditionalRow >= 0)
                {
                    var unconditional = input.Slice(_unconditionalRow * length, length);
                    if (_byModality[(int)modality] is null)
                    {
                        unconditional.Fill(_grids[(int)modality].MaskId);
                    }
                    else
                    {
                        tokens.CopyTo(unconditional);
                    }
                }
            }
        }

        public UnmaskResult Result() => new(
            Tokens(Modality.Audio).ToArray(),
            Tokens(Modality.Image).ToArray(),
            _byModality[0]?.MaskedAfterStep ?? [],
            _byModality[1]?.MaskedAfterStep ?? []);

        private ReadOnlySpan<long> Tokens(Modality modality) =>
            _byModality[(int)modality] is { } target ? target.Tokens : _request[modality].Tokens;

        private ModalityUnmasking? Unmasking(Modality modality) =>
            _request[modality].Role == ModalityRole.Target
                ? new ModalityUnmasking(modality, _grids[(int)modality], _request[modality].Tokens, _request, _guidanceSpace)
                : null;
    }
}
