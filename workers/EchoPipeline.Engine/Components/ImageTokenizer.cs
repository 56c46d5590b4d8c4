using EchoPipeline.Engine.Imaging;
using Microsoft.ML.OnnxRuntime;

namespace EchoPipeline.Engine.Components;

/// <summary>The image VQGAN encoder: rgb24 256x256 images -> 256 image tokens each.</summary>
public sealed class ImageTokenizer(InferenceSession session) : OnnxComponent(session)
{
    public int TokenCount => Dimension("image_tokens", 1);

    public int Height => Dimension("image", 2);

    public int Width => Dimension("image", 3);

    /// <summary>Tokens for each image, row-major [images, TokenCount].</summary>
    public long[] Tokenize(IReadOnlyList<byte[]> rgb24Images, CancellationToken cancellationToken = default)
    {
        var (b, pixels) = (rgb24Images.Count, 3 * Height * Width);
        var images = new float[b * pixels];
        for (var i = 0; i < b; i++)
        {
            if (rgb24Images[i].Length != pixels)
            {
                throw new ArgumentException(
                    $"Image {i} has {rgb24Images[i].Length} bytes; rgb24 {Width}x{Height} needs {pixels}.", nameof(rgb24Images));
            }

            ImagePreprocessor.ToNchw(rgb24Images[i], Width, Height, images.AsSpan(i * pixels, pixels));
        }

        var tokens = new long[b * TokenCount];
        Run("image", images.AsMemory(), [b, 3, Height, Width], "image_tokens", tokens.AsMemory(), [b, TokenCount], cancellationToken);
        return tokens;
    }
}
