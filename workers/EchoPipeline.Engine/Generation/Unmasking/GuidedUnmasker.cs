using EchoPipeline.Engine.Generation.Sampling;
using EchoPipeline.Engine.Generation.Transformer;

namespace EchoPipeline.Engine.Generation.Unmasking;

/// <summary>
/// Guided iterative unmasking (DESIGN §3) for a batch of B requests through one transformer. With guidance,
/// each step is ONE run of 2B rows: rows 0..B-1 conditional, rows B..2B-1 the same targets with an all-MASK guide.
/// Each request draws its noise from its own source, so its tokens do not depend on what shares the batch.
/// </summary>
public sealed class GuidedUnmasker(ITokenTransformer transformer)
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
        var states = requests.Select(r => new RequestState(r, transformer)).ToArray();
        var steps = requests.Max(r => r.Steps);
        using var batch = transformer.CreateBatch(guided ? 2 * b : b);
        for (var t = 0; t < steps; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < b; i++)
            {
                states[i].WriteRows(batch, i, guided ? b + i : -1);
            }

            batch.Run(cancellationToken);
            var step = t;
            Parallel.For(0, b, i => states[i].Step(step, batch, i, guided ? b + i : -1));
        }

        return states.Select(s => s.Result()).ToArray();
    }

    private sealed class RequestState
    {
        private readonly UnmaskRequest _request;
        private readonly TokenGrid[] _grids;
        private readonly ModalityUnmasking?[] _targets;

        public RequestState(UnmaskRequest request, ITokenTransformer transformer)
        {
            _request = request;
            _grids = [transformer.Audio, transformer.Image];
            _targets = [Target(Modality.Audio), Target(Modality.Image)];
        }

        public void WriteRows(ITransformerBatch batch, int row, int unconditionalRow)
        {
            foreach (var modality in (ReadOnlySpan<Modality>)[Modality.Audio, Modality.Image])
            {
                var tokens = Tokens(modality);
                var length = _grids[(int)modality].Length;
                var input = (modality == Modality.Audio ? batch.AudioTokens : batch.ImageTokens).Span;
                tokens.CopyTo(input.Slice(row * length, length));
                if (unconditionalRow >= 0)
                {
                    var unconditional = input.Slice(unconditionalRow * length, length);
                    if (_targets[(int)modality] is null)
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

        public void Step(int step, ITransformerBatch batch, int row, int unconditionalRow)
        {
            var guidance = _request.EffectiveGuidance;
            var useUnconditional = unconditionalRow >= 0 && ClassifierFreeGuidance.IsActive(guidance);
            foreach (var target in _targets)
            {
                if (target is null)
                {
                    continue;
                }

                var logits = target.Modality == Modality.Audio ? batch.AudioLogits : batch.ImageLogits;
                var rowSize = _grids[(int)target.Modality].Length * _grids[(int)target.Modality].Codebook;
                var unconditional = useUnconditional ? logits.Slice(unconditionalRow * rowSize, rowSize) : ReadOnlyMemory<float>.Empty;
                target.Step(step, logits.Slice(row * rowSize, rowSize), unconditional, guidance, _request.Temperature, _request.Noise);
            }
        }

        public UnmaskResult Result() => new(
            Tokens(Modality.Audio).ToArray(),
            Tokens(Modality.Image).ToArray(),
            _targets[0]?.MaskedAfterStep ?? [],
            _targets[1]?.MaskedAfterStep ?? []);

        private ReadOnlySpan<long> Tokens(Modality modality) =>
            _targets[(int)modality] is { } target ? target.Tokens : _request[modality].Tokens;

        private ModalityUnmasking? Target(Modality modality) =>
            _request[modality].Role == ModalityRole.Target
                ? new ModalityUnmasking(modality, _grids[(int)modality], _request[modality].Tokens, _request.Steps)
                : null;
    }
}
