using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace EchoPipeline.Engine.Components;

/// <summary>
/// One ONNX model of a bundle and its session. Every run bridges the CancellationToken into ONNX Runtime
/// (RunOptions.Terminate), so a cancelled run stops inside the graph instead of finishing its work, and
/// accumulates the time spent inside Run (the engine's overhead is measured against it).
/// </summary>
public abstract class OnnxComponent(InferenceSession session) : IDisposable
{
    private long _runTimestampTicks;

    /// <summary>Total wall time spent inside ONNX Runtime's Run by this component.</summary>
    public TimeSpan RunTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _runTimestampTicks));

    protected InferenceSession Session { get; } = session;

    public void Dispose()
    {
        Session.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A dimension of a tensor the session declares (inputs or outputs), e.g. 256 in [batch, 256].</summary>
    protected int Dimension(string tensor, int axis)
    {
        var metadata = Session.InputMetadata.TryGetValue(tensor, out var input) ? input : Session.OutputMetadata[tensor];
        return metadata.Dimensions[axis];
    }

    /// <summary>Runs one input to one output over caller buffers (the first <c>shape</c>-product elements of each).</summary>
    protected void Run<TIn, TOut>(
        string inputName, Memory<TIn> input, long[] inputShape, string outputName, Memory<TOut> output, long[] outputShape, CancellationToken cancellationToken)
        where TIn : unmanaged
        where TOut : unmanaged
    {
        using var x = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input, inputShape);
        using var y = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, output, outputShape);
        Run([inputName], [x], [outputName], [y], cancellationToken);
    }

    protected void Run(string[] inputNames, OrtValue[] inputs, string[] outputNames, OrtValue[] outputs, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var options = new RunOptions();
        using var registration = cancellationToken.Register(static o => ((RunOptions)o!).Terminate = true, options);
        var started = Stopwatch.GetTimestamp();
        try
        {
            Session.Run(options, inputNames, inputs, outputNames, outputs);
        }
        catch (OnnxRuntimeException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException($"{GetType().Name} was cancelled while running.", e, cancellationToken);
        }
        finally
        {
            Interlocked.Add(ref _runTimestampTicks, Stopwatch.GetTimestamp() - started);
        }
    }
}
