namespace EchoPipeline.Engine.Generation;

/// <summary>Checks a request against the mode and the loaded bundle before any model runs, naming request and field.</summary>
internal static class EchoRequestValidator
{
    public static void Validate(EchoRequest request, int index, EchoModel model)
    {
        var where = $"Request {index} ({request.Mode})";
        Require(request.LengthSamples is null or > 0, $"{where}: LengthSamples must be positive, got {request.LengthSamples}.");
        switch (request.Mode)
        {
            case GenerationMode.ImageToAudio:
                var pixels = 3 * model.ImageTokenizer.Width * model.ImageTokenizer.Height;
                Require(request.Image is not null, $"{where}: Image is required.");
                Require(request.Image!.Length == pixels, $"{where}: Image has {request.Image.Length} bytes; rgb24 {model.ImageTokenizer.Width}x{model.ImageTokenizer.Height} needs {pixels}.");
                ValidateKnownAudio(request, where, model);
                break;
            case GenerationMode.AudioToImage:
                Require(request.Audio is not null, $"{where}: Audio is required.");
                Require(model.AudioTokenizer is not null, $"{where}: bundle '{model.BundleId}' has no audioEncoder to tokenize the audio.");
                Require(model.ImageDetokenizer is not null, $"{where}: bundle '{model.BundleId}' has no imageDecoder to draw the image.");
                break;
            case GenerationMode.CoGeneration:
                break;
            default:
                throw new ArgumentException($"{where}: unknown Mode {(int)request.Mode}.", nameof(request));
        }
    }

    private static void ValidateKnownAudio(EchoRequest request, string where, EchoModel model)
    {
        var length = model.Transformer.Audio.Length;
        Require(request.KnownAudioTokens is null || request.KnownAudioColumns is null, $"{where}: give KnownAudioTokens or KnownAudioColumns, not both.");
        Require(request.KnownAudioTokens is null || request.KnownAudioTokens.Length == length, $"{where}: KnownAudioTokens has {request.KnownAudioTokens?.Length} entries; the audio grid has {length}.");
        if (request.KnownAudioColumns is { } columns)
        {
            Require(request.Audio is not null, $"{where}: KnownAudioColumns needs the Audio clip they come from.");
            Require(columns.Length == model.AudioColumns, $"{where}: KnownAudioColumns has {columns.Length} entries; the audio grid has {model.AudioColumns} columns.");
            Require(model.AudioTokenizer is not null, $"{where}: bundle '{model.BundleId}' has no audioEncoder to tokenize the known audio.");
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
