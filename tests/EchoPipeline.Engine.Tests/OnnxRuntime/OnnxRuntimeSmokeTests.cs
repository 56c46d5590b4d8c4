using EchoPipeline.Testing;
using Microsoft.ML.OnnxRuntime;

namespace EchoPipeline.Engine.Tests.OnnxRuntime;

/// <summary>ONNX Runtime, from its NuGet package, loads and runs a model.</summary>
public sealed class OnnxRuntimeSmokeTests
{
    // The weights tools/make_tiny_onnx.py writes into tiny_affine.onnx.
    private static readonly float[,] W = { { 1f, -1f, 0.5f }, { 2f, 0f, -0.25f } };
    private static readonly float[] B = [0.5f, 1f, -1f];

    [Fact]
    public void Computes_relu_of_an_affine_map_like_the_hand_computation()
    {
        float[] input = [3f, -2f, 0.25f, 4f];
        using var session = new InferenceSession(RepoPaths.Fixture("onnx", "tiny_affine.onnx"));
        using var x = OrtValue.CreateTensorValueFromMemory(input, [2, 2]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["x"], [x], ["y"]);

        var y = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal([2, 3], outputs[0].GetTensorTypeAndShape().Shape);
        Assert.Equal(Expected(input), y);
    }

    [Fact]
    public void Names_a_missing_input_in_its_error()
    {
        using var session = new InferenceSession(RepoPaths.Fixture("onnx", "tiny_affine.onnx"));
        using var x = OrtValue.CreateTensorValueFromMemory(new float[2], [1, 2]);
        using var runOptions = new RunOptions();
        var error = Assert.Throws<OnnxRuntimeException>(() => session.Run(runOptions, ["not_x"], [x], ["y"]));
        Assert.Contains("not_x", error.Message, StringComparison.Ordinal);
    }

    private static float[] Expected(float[] input)
    {
        var rows = input.Length / 2;
        var y = new float[rows * 3];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                var z = (input[r * 2] * W[0, c]) + (input[(r * 2) + 1] * W[1, c]) + B[c];
                y[(r * 3) + c] = Math.Max(0f, z);
            }
        }

        return y;
    }
}
