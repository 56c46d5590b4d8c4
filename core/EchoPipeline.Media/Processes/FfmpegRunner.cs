using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EchoPipeline.Media;

/// <summary>
/// Runs ffmpeg or ffprobe with an argument list (never a shell string), a timeout that kills the
/// process tree, stdout captured or streamed, and stderr kept as a bounded tail for errors.
/// </summary>
public sealed class FfmpegRunner
{
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public FfmpegRunner(MediaOptions options, TimeProvider? timeProvider = null, ILogger<FfmpegRunner>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<FfmpegRunner>.Instance;
    }

    public MediaOptions Options { get; }

    /// <summary>Runs the tool and returns what it wrote to stdout (at most <see cref="MediaOptions.MaxOutputBytes"/>).</summary>
    /// <param name="subject">The file the run is about, named in error messages.</param>
    public async Task<byte[]> RunAsync(
        MediaTool tool, IReadOnlyList<string> arguments, string subject,
        ReadOnlyMemory<byte> standardInput = default, CancellationToken cancellationToken = default)
    {
        using var output = new MemoryStream();
        await RunCoreAsync(tool, arguments, subject, output, Options.MaxOutputBytes, standardInput, cancellationToken);
        return output.ToArray();
    }

    /// <summary>Runs the tool, streaming its stdout into <paramref name="standardOutput"/> (no size limit).</summary>
    public Task RunAsync(
        MediaTool tool, IReadOnlyList<string> arguments, string subject, Stream standardOutput,
        ReadOnlyMemory<byte> standardInput = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(standardOutput);
        return RunCoreAsync(tool, arguments, subject, standardOutput, long.MaxValue, standardInput, cancellationToken);
    }

    private async Task RunCoreAsync(
        MediaTool tool, IReadOnlyList<string> arguments, string subject, Stream output, long outputLimit,
        ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        using var process = Start(tool, arguments, readsInput: !input.IsEmpty);
        var startedAt = _timeProvider.GetTimestamp();
        using var timeout = new CancellationTokenSource(Options.Timeout, _timeProvider);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var stderr = new StderrTail();
        var io = Task.WhenAll(
            ProcessPipes.WriteInputAsync(process.StandardInput.BaseStream, input),
            ProcessPipes.CopyOutputAsync(process.StandardOutput.BaseStream, output, outputLimit, abort),
            stderr.ReadToEndAsync(process.StandardError));
        try
        {
            await process.WaitForExitAsync(abort.Token);
            await io;
        }
        catch (OperationCanceledException)
        {
            // Timeout, caller cancellation or runaway output: never leave the process behind.
            KillTree(process);
            await process.WaitForExitAsync(CancellationToken.None);
            await io.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (io.Exception?.InnerException is MediaException outputTooLarge)
            {
                throw outputTooLarge;
            }

            cancellationToken.ThrowIfCancellationRequested();
            _logger.ToolTimedOut(tool, subject, Options.Timeout);
            throw new MediaException(MediaErrorCode.Timeout,
                $"{tool} on '{subject}' took longer than {Options.Timeout.TotalSeconds:0.###} s and was stopped; " +
                "raise MediaOptions.Timeout if such inputs are expected.", subject, stderr.ToString());
        }

        _logger.ToolExited(tool, subject, process.ExitCode, _timeProvider.GetElapsedTime(startedAt).TotalMilliseconds);
        if (process.ExitCode != 0)
        {
            throw FfmpegFailure.FromExit(tool, subject, process.ExitCode, stderr);
        }
    }

    private Process Start(MediaTool tool, IReadOnlyList<string> arguments, bool readsInput)
    {
        var executable = tool == MediaTool.Ffmpeg ? Options.FfmpegPath : Options.FfprobePath;
        var startInfo = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (tool == MediaTool.Ffmpeg && !readsInput)
        {
            // Otherwise ffmpeg treats stdin as an interactive console (keys like 'q').
            startInfo.ArgumentList.Add("-nostdin");
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
            return process;
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new MediaException(MediaErrorCode.FfmpegMissing,
                $"Cannot start {tool} at '{executable}' ({ex.Message}). Install FFmpeg (apt-get install ffmpeg) " +
                $"or set MediaOptions.{tool}Path.", innerException: ex);
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
