namespace EchoPipeline.Engine.Bundles;

/// <summary>
/// The tensor signature each component must have, derived from the manifest's token grids, codebooks and mel size
/// (docs/bundle-format.md). The manifest's declared signatures are checked against these, the ONNX files against both.
/// </summary>
internal static class ComponentContracts
{
    public const string Float32 = "float32";
    public const string Int64 = "int64";
    private const int ImageSize = 256;

    public static (TensorSpec[] Inputs, TensorSpec[] Outputs) For(ComponentKind kind, TokenLayout tokens, AudioSettings audio)
    {
        var audioTokens = Tensor("audio_tokens", Int64, tokens.Audio.Length);
        var imageTokens = Tensor("image_tokens", Int64, tokens.Image.Length);
        var mel = Tensor("mel", Float32, audio.MelBins, audio.Frames);
        var image = Tensor("image", Float32, 3, ImageSize, ImageSize);
        return kind switch
        {
            ComponentKind.ImageEncoder => ([image], [imageTokens]),
            ComponentKind.Transformer => ([audioTokens, imageTokens], [
                Tensor("audio_logits", Float32, tokens.Audio.Length, tokens.Audio.CodebookSize),
                Tensor("image_logits", Float32, tokens.Image.Length, tokens.Image.CodebookSize)]),
            ComponentKind.AudioDecoder => ([audioTokens], [mel]),
            ComponentKind.AudioEncoder => ([mel], [audioTokens]),
            ComponentKind.ImageDecoder => ([imageTokens], [image]),
            ComponentKind.Vocoder => ([mel], [Tensor("waveform", Float32, audio.Samples)]),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    /// <summary>The manifest key of a component, e.g. <c>imageEncoder</c>.</summary>
    public static string Key(ComponentKind kind) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());

    private static TensorSpec Tensor(string name, string dtype, params int[] dims) =>
        new(name, dtype, [TensorDimension.Batch, .. dims.Select(d => TensorDimension.Fixed(d))]);
}
