using EchoPipeline.Engine.Generation;
using EchoPipeline.Engine.Generation.Noise;

namespace EchoPipeline.Engine.Tests.Generation.Unmasking;

/// <summary>
/// DESIGN §3's loop written out plainly for one request with one target modality, independent of the engine's
/// batched implementation (own softmax, own cumsum, LINQ's stable sort), to check the engine against.
/// </summary>
internal static class ReferenceUnmasking
{
    public static long[] Run(FakeTransformer model, Modality target, long[] guide, long[] known, int steps, double temperature, float guidance, IUnmaskNoise noise)
    {
        var grid = target == Modality.Audio ? model.Audio : model.Image;
        var guideMask = (target == Modality.Audio ? model.Image : model.Audio).MaskId;
        var tokens = known.Select(t => t < 0 ? grid.MaskId : t).ToArray();
        var u0 = tokens.Count(t => t == grid.MaskId);
        var masked = u0;
        for (var t = 0; t < steps; t++)
        {
            var logits = Forward(model, target, tokens, guide);
            if (guidance != 1f)
            {
                var unconditional = Forward(model, target, tokens, guide.Select(_ => guideMask).ToArray());
                logits = logits.Select((c, i) => unconditional[i] + (guidance * (c - unconditional[i]))).ToArray();
            }

            var (u, g) = (new double[grid.Length], new double[grid.Length]);
            noise.Fill(target, t, u, g);
            var ratio = (t + 1) / (double)steps;
            var sampled = (long[])tokens.Clone();
            var confidence = Enumerable.Repeat(double.PositiveInfinity, grid.Length).ToArray();
            for (var j = 0; j < grid.Length; j++)
            {
                if (tokens[j] != grid.MaskId)
                {
                    continue;
                }

                var row = logits.Skip(j * grid.Codebook).Take(grid.Codebook).Select(x => (double)x).ToArray();
                var exp = row.Select(x => Math.Exp(x - row.Max())).ToArray();
                var probs = exp.Select(e => e / exp.Sum()).ToArray();
                var cumulative = 0.0;
                var id = Enumerable.Range(0, grid.Codebook).FirstOrDefault(k => (cumulative += probs[k]) > u[j], grid.Codebook - 1);
                sampled[j] = id;
                confidence[j] = Math.Log(probs[id]) + (temperature * (1 - ratio) * g[j]);
            }

            var n = t == steps - 1 || masked == 0 ? 0 : Math.Max(1, Math.Min((int)Math.Floor(u0 * Math.Cos(Math.PI / 2 * ratio)), masked - 1));
            foreach (var j in Enumerable.Range(0, grid.Length).OrderBy(j => confidence[j]).Take(n))
            {
                sampled[j] = grid.MaskId;
            }

            (tokens, masked) = (sampled, n);
        }

        return tokens;
    }

    private static float[] Forward(FakeTransformer model, Modality target, long[] tokens, long[] guide) =>
        target == Modality.Audio ? model.Logits(Modality.Audio, tokens, guide) : model.Logits(Modality.Image, guide, tokens);
}
