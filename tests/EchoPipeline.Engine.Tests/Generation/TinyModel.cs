using System.Security.Cryptography;
using EchoPipeline.Engine.Audio;
using EchoPipeline.Engine.Components;
using EchoPipeline.Engine.Generation;
using EchoPipeline.Testing;
using Microsoft.ML.OnnxRuntime;

namespace EchoPipeline.Engine.Tests.Generation;

/// <summary>The tiny fixture bundle's components (random weights, the paper's grids, codebooks 64 audio / 48 image).</summary>
internal static class TinyModel
{
    public static string Directory => RepoPaths.Fixture("bundles", "tiny");

    public static EchoModel Load(bool griffinLim = false)
    {
        InferenceSession Open(string file) => new(Path.Combine(Directory, file));
        return new EchoModel
        {
            BundleId = "tiny-test",
            BundleSha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(Directory, "bundle.json")))),
            ImageTokenizer = new ImageTokenizer(Open("image_encoder.onnx")),
            Transformer = new VisualEchoesTransformer(Open("transformer.onnx")),
            AudioDetokenizer = new AudioDetokenizer(Open("audio_decoder.onnx")),
            Vocoder = griffinLim ? new GriffinLimVocoder(new GriffinLim(MelParameters.SpecVqgan)) : new OnnxVocoder(Open("vocoder.onnx")),
            AudioTokenizer = new AudioTokenizer(Open("audio_encoder.onnx")),
            ImageDetokenizer = new ImageDetokenizer(Open("image_decoder.onnx")),
            Mel = MelParameters.SpecVqgan,
            AudioColumns = 53,
            Defaults = SamplingSettings.Paper,
        };
    }

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
