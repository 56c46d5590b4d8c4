using EchoPipeline.Engine.Generation.Unmasking;

namespace EchoPipeline.Engine.Generation;

/// <summary>The batched stages: each gathers the requests that need it, runs them as one batch, and scatters back.</summary>
public sealed partial class EchoGenerator
{
    private long[]?[] TokenizeImages(IReadOnlyList<EchoRequest> requests, CancellationToken cancellationToken)
    {
        var rows = Where(requests, r => r.Mode == GenerationMode.ImageToAudio);
        if (rows.Length == 0)
        {
            return new long[]?[requests.Count];
        }

        var tokens = model.ImageTokenizer.Tokenize(rows.Select(i => requests[i].Image!).ToArray(), cancellationToken);
        return Scatter(requests.Count, rows, tokens, model.ImageTokenizer.TokenCount);
    }

    private long[]?[] TokenizeAudio(IReadOnlyList<EchoRequest> requests, CancellationToken cancellationToken)
    {
        var rows = Where(requests, r => r.Mode == GenerationMode.AudioToImage || r.KnownAudioColumns is not null);
        if (rows.Length == 0)
        {
            return new long[]?[requests.Count];
        }

        var melLength = model.Mel.MelLength;
        var mels = new float[rows.Length * melLength];
        Parallel.For(0, rows.Length, new ParallelOptions { MaxDegreeOfParallelism = model.CpuThreads, CancellationToken = cancellationToken }, k =>
            _melFrontEnd.Compute(requests[rows[k]].Audio, mels.AsSpan(k * melLength, melLength)));
        var tokens = model.AudioTokenizer!.Tokenize(mels, cancellationToken);
        return Scatter(requests.Count, rows, tokens, model.AudioTokenizer.TokenCount);
    }

    private float[]?[] DecodeAudio(IReadOnlyList<EchoRequest> requests, IReadOnlyList<UnmaskResult> tokens, CancellationToken cancellationToken)
    {
        var rows = Where(requests, r => r.Mode != GenerationMode.AudioToImage);
        if (rows.Length == 0)
        {
            return new float[]?[requests.Count];
        }

        var mels = model.AudioDetokenizer.Decode(rows.SelectMany(i => tokens[i].AudioTokens).ToArray(), cancellationToken);
        return Scatter(requests.Count, rows, mels, model.Mel.MelLength);
    }

    private float[]?[] Vocode(float[]?[] mels, CancellationToken cancellationToken)
    {
        var rows = Enumerable.Range(0, mels.Length).Where(i => mels[i] is not null).ToArray();
        if (rows.Length == 0)
        {
            return new float[]?[mels.Length];
        }

        var waveforms = model.Vocoder.Synthesize(rows.SelectMany(i => mels[i]!).ToArray(), cancellationToken);
        return Scatter(mels.Length, rows, waveforms, model.Vocoder.Samples);
    }

    private byte[]?[] DecodeImages(IReadOnlyList<EchoRequest> requests, IReadOnlyList<UnmaskResult> tokens, CancellationToken cancellationToken)
    {
        var rows = Where(requests, r => r.Mode != GenerationMode.ImageToAudio);
        var images = new byte[]?[requests.Count];
        if (rows.Length == 0 || model.ImageDetokenizer is null)
        {
            return images;
        }

        var decoded = model.ImageDetokenizer.Decode(rows.SelectMany(i => tokens[i].ImageTokens).ToArray(), cancellationToken);
        for (var k = 0; k < rows.Length; k++)
        {
            images[rows[k]] = decoded[k];
        }

        return images;
    }

    private static int[] Where(IReadOnlyList<EchoRequest> requests, Func<EchoRequest, bool> needs) =>
        Enumerable.Range(0, requests.Count).Where(i => needs(requests[i])).ToArray();

    private static T[]?[] Scatter<T>(int count, int[] rows, T[] batch, int rowLength)
    {
        var result = new T[]?[count];
        for (var k = 0; k < rows.Length; k++)
        {
            result[rows[k]] = batch.AsSpan(k * rowLength, rowLength).ToArray();
        }

        return result;
    }
}
