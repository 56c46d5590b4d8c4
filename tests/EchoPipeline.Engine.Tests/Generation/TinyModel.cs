using EchoPipeline.Engine.Generation;
using EchoPipeline.Testing;

namespace EchoPipeline.Engine.Tests.Generation;

/// <summary>The tiny fixture bundle's components (random weights, the paper's grids, codebooks 64 audio / 48 image).</summary>
internal static class TinyModel
{
    public static string Directory => RepoPaths.Fixture("bundles", "tiny");

    public static EchoModel Load() => EchoModel.Load(Directory);

    /// <summary>A deterministic rgb24 256x256 picture: gradients shifted by <paramref name="variant"/>.</summary>
    public static byte[] Picture(int variant)
    {
        var rgb = new byte[256 * 256 * 3];
        for (var y = 0; y < 256; y++)
        {
            for (var x = 0; x < 256; x++)
            {
                var p = ((y * 256) + x) * 3;
                (rgb[p], rgb[p + 1], rgb[p + 2]) = ((byte)(x + (40 * variant)), (byte)(y * variant), (byte)((x ^ y) + variant));
            }
        }

        return rgb;
    }

    /// <summary>Ten seconds of a sine at <paramref name="hertz"/>, 22050 Hz.</summary>
    public static float[] Tone(double hertz) =>
        Enumerable.Range(0, 220500).Select(n => (float)(0.5 * Math.Sin(2 * Math.PI * hertz * n / 22050))).ToArray();
}
