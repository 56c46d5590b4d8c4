using System.Text.Json;
using EchoPipeline.Engine.Bundles;
using EchoPipeline.Testing;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace EchoPipeline.Engine.Tests.Bundles;

/// <summary>
/// ONNX Runtime runs each exported component of the tiny bundle like PyTorch did (tiny-forward.json, written by
/// tools/make_test_bundle.py from the same modules): token outputs exactly, float outputs within the fixture's tolerance.
/// </summary>
public sealed class TinyBundleForwardTests(ITestOutputHelper output) : IClassFixture<TinyBundleFixture>
{
    private const int Batch = 2;

    public static TheoryData<string> Components => ["imageEncoder", "transformer", "audioDecoder", "audioEncoder", "imageDecoder", "vocoder"];

    [Theory]
    [MemberData(nameof(Components))]
    public void Component_matches_pytorch(string key)
    {
        var fixture = TinyBundleFixture.Expected.RootElement;
        var entry = fixture.GetProperty("components").GetProperty(key);
        var kind = Enum.Parse<ComponentKind>(key, ignoreCase: true);
        var session = TinyBundleFixture.Bundle.Session(kind)!;
        var spec = TinyBundleFixture.Bundle.Manifest.Components[kind]!;

        using var runOptions = new RunOptions();
        var inputs = spec.Inputs.Select(t => Input(key, t, entry)).ToArray();
        using var results = session.Run(runOptions, spec.Inputs.Select(t => t.Name).ToArray(), inputs, spec.Outputs.Select(t => t.Name).ToArray());
        foreach (var value in inputs)
        {
            value.Dispose();
        }

        var tolerance = fixture.GetProperty("tolerance");
        for (var i = 0; i < spec.Outputs.Count; i++)
        {
            var name = spec.Outputs[i].Name;
            var expected = entry.GetProperty("outputs").GetProperty(name);
            var shape = results[i].GetTensorTypeAndShape().Shape;
            Assert.Equal(Batch, shape[0]);
            if (spec.Outputs[i].Dtype == "int64")
            {
                var tokens = expected.EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => v.GetInt64())).ToArray();
                Assert.Equal(tokens, results[i].GetTensorDataAsSpan<long>().ToArray());
                continue;
            }

            CompareSummary(name, results[i].GetTensorDataAsSpan<float>(), shape, expected, tolerance);
        }
    }

    private void CompareSummary(string name, ReadOnlySpan<float> actual, long[] shape, JsonElement expected, JsonElement tolerance)
    {
        Assert.Equal(expected.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()), shape);
        var absTolerance = tolerance.GetProperty("abs").GetDouble();
        var maxDiff = 0.0;
        foreach (var (index, value) in expected.GetProperty("index").EnumerateArray().Zip(expected.GetProperty("values").EnumerateArray()))
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(actual[index.GetInt32()] - value.GetDouble()));
        }

        double sum = 0, absSum = 0;
        foreach (var v in actual)
        {
            sum += v;
            absSum += Math.Abs(v);
        }

        var expectedAbsSum = expected.GetProperty("abs_sum").GetDouble();
        var sumTolerance = tolerance.GetProperty("sum_rel").GetDouble() * expectedAbsSum;
        output.WriteLine($"{name}: max |ORT - PyTorch| over samples {maxDiff:E2}; sum {sum:G9} vs {expected.GetProperty("sum").GetDouble():G9}");
        Assert.InRange(maxDiff, 0, absTolerance);
        Assert.InRange(sum, expected.GetProperty("sum").GetDouble() - sumTolerance, expected.GetProperty("sum").GetDouble() + sumTolerance);
        Assert.InRange(absSum, expectedAbsSum - sumTolerance, expectedAbsSum + sumTolerance);
    }

    /// <summary>Token inputs come from the fixture; float inputs from the formulas it states (computed in float64).</summary>
    private static OrtValue Input(string key, TensorSpec tensor, JsonElement entry)
    {
        long[] shape = [Batch, .. tensor.Shape.Skip(1).Select(d => d.Size)];
        if (tensor.Dtype == "int64")
        {
            var tokens = entry.GetProperty("inputs").GetProperty(tensor.Name).EnumerateArray()
                .SelectMany(row => row.EnumerateArray().Select(v => v.GetInt64())).ToArray();
            return OrtValue.CreateTensorValueFromMemory(tokens, shape);
        }

        var data = new float[shape.Aggregate(1L, (a, b) => a * b)];
        if (key == "imageEncoder")
        {
            Fill4(data, shape, (b, c, y, x) => Math.Sin((0.05 * x) + (0.9 * c) + (0.3 * b)) * Math.Cos(0.07 * y));
        }
        else
        {
            var offset = key == "vocoder" ? 0.5 : 0.0;
            var scale = key == "vocoder" ? 0.5 : 1.0;
            Fill4(data, [shape[0], 1, shape[1], shape[2]], (b, _, f, t) => offset + (scale * Math.Sin((0.11 * f) + (0.013 * t) + (0.5 * b))));
        }

        return OrtValue.CreateTensorValueFromMemory(data, shape);
    }

    private static void Fill4(float[] data, long[] shape, Func<int, int, int, int, double> value)
    {
        var i = 0;
        for (var a = 0; a < shape[0]; a++)
        {
            for (var b = 0; b < shape[1]; b++)
            {
                for (var c = 0; c < shape[2]; c++)
                {
                    for (var d = 0; d < shape[3]; d++)
                    {
                        data[i++] = (float)value(a, b, c, d);
                    }
                }
            }
        }
    }
}

/// <summary>The tiny bundle and its PyTorch outputs, loaded once for the forward tests.</summary>
public sealed class TinyBundleFixture : IDisposable
{
    private static readonly Lazy<ModelBundle> LazyBundle = new(() => ModelBundle.Load(TempBundle.TinyDirectory));
    private static readonly Lazy<JsonDocument> LazyExpected = new(() => JsonDocument.Parse(File.ReadAllBytes(RepoPaths.Fixture("bundles", "tiny-forward.json"))));

    public static ModelBundle Bundle => LazyBundle.Value;

    public static JsonDocument Expected => LazyExpected.Value;

    public void Dispose()
    {
        // The bundle lives for the test run; ONNX Runtime sessions are released with the process.
    }
}
