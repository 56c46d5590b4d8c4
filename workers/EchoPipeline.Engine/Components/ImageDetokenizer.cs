using EchoPipeline.Engine.Imaging;
using Microsoft.ML.OnnxRuntime;

namespace EchoPipeline.Engine.Components;

/// <summary>The image VQGAN decoder: 256 image tokens -> an rgb24 256x256 image.</summary>
public sealed class ImageDetokenizer(InferenceSession session) : OnnxComponent(session)
{
    public int TokenCount => Dimension("image_tokens", 1);

    public int Height => Dimension("image", 2);

    public int Width => Dimension("image", 3);

    /// <summary>One rgb24 image per row of <paramref name="tokens"/> ([images, TokenCount], row-major).</summary>
    public byte[][] Decode(long[] tokens, CancellationToken cancellationToken = default)
    {
        var b = tokens.Length / TokenCount;
        var pixels = 3 * Height * Width;
        var images = new float[b * pixels];
        Run("image_tokens", tokens.AsMemory(), [b, TokenCount], "image", images.AsMemory(), [b, 3, Height, Width], cancellationToken);
        return Enumerable.Range(0, b).Select(i =>
        {
            var rgb = new byte[pixels];
            ImagePostprocessor.ToRgb24(images.AsSpan(i * pixels, pixels), Width, Height, rgb);
            return rgb;
        }).ToArray();
    }
}
