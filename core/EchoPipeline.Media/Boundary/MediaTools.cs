using System.Globalization;
using System.Text.Json;
using FFMpegCore;
using FFMpegCore.Enums;
using FFMpegCore.Exceptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Media;

/// <summary>
/// The media boundary: the one place EchoPipeline runs ffmpeg and ffprobe (through FFMpegCore), so a reviewer can
/// check every rule here. FFmpeg is the only parser of untrusted media except plain still PNGs and JPEGs, which
/// <see cref="InProcessStills"/> reads with ImageSharp (a PNG-and-JPEG-only configuration, the same limits checked
/// before decoding, everything else handed to FFmpeg). Every FFmpeg run
/// <list type="bullet">
/// <item>reads and writes only generated paths inside a <see cref="MediaWorkspace"/> (checked before each run);</item>
/// <item>opens inputs with <c>-protocol_whitelist file,pipe</c>, so no input can make FFmpeg open a URL;</item>
/// <item>names each input's demuxer: ffprobe may only detect an allowlisted one (<c>-format_whitelist</c>), and every
///   later ffmpeg run forces the probed one with <c>-f</c>;</item>
/// <item>passes <c>-max_pixels</c> to the decoders, so a picture that declares a huge size is refused, not allocated;</item>
/// <item>is killed past <see cref="MediaOptions.Timeout"/> or its workspace's <see cref="MediaOptions.JobTimeout"/>;</item>
/// <item>fails with a <see cref="MediaException"/> that has a stable code and the tail of stderr.</item>
/// </list>
/// </summary>
public sealed class MediaTools
{
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _inputGuard;

    public MediaTools(MediaOptions options, TimeProvider? timeProvider = null, ILogger<MediaTools>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new MediaOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(nameof(MediaOptions), typeof(MediaOptions), validation.Failures);
        }

        Options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<MediaTools>.Instance;
        _inputGuard = string.Create(CultureInfo.InvariantCulture, $"-protocol_whitelist file,pipe -max_pixels {options.MaxPixels}");
        Stills = new InProcessStills(options, _logger);
    }

    public MediaOptions Options { get; }

    /// <summary>The in-process reader of plain PNGs and JPEGs, which hands everything else to FFmpeg.</summary>
    internal InProcessStills Stills { get; }

    /// <summary>A fresh workspace under <paramref name="parentDirectory"/> (default: the system temporary folder).</summary>
    public MediaWorkspace CreateWorkspace(string? parentDirectory = null) => MediaWorkspace.Create(parentDirectory, Options, _timeProvider);

    /// <summary>ffprobe's typed analysis of a staged input, with only the demuxers of <paramref name="allowed"/>.</summary>
    internal async Task<IMediaAnalysis> AnalyseAsync(MediaInput input, DemuxerAllowlist allowed, CancellationToken cancellationToken)
    {
        var workspace = input.Workspace;
        Guard(workspace, input.Path);
        if (!File.Exists(input.Path))
        {
            // FFMpegCore would say so with a generic exception; the code should say not_found.
            throw new MediaException(MediaErrorCode.NotFound, $"The staged copy of '{input.Source}' is gone (its workspace was cleaned up?).", input.Source);
        }

        var ffOptions = ToolOptions(workspace);
        // Reading two packets tells one picture from a sequence of them at the cost of two packets.
        var arguments = $"-format_whitelist {allowed.FormatWhitelist} {_inputGuard} -count_packets -read_intervals %+#2";
        using var limits = new RunLimits(workspace, Options.Timeout, _timeProvider, cancellationToken);
        limits.ThrowIfExpired(MediaTool.Ffprobe, input.Source, _logger);
        var started = _timeProvider.GetTimestamp();
        try
        {
            var analysis = await FFProbe.AnalyseAsync(input.Path, ffOptions, arguments, limits.Token).ConfigureAwait(false);
            MediaLog.ToolExited(_logger, MediaTool.Ffprobe, input.Source, 0, _timeProvider.GetElapsedTime(started).TotalMilliseconds);
            return analysis;
        }
        catch (FFProbeProcessException ex)
        {
            MediaLog.ToolExited(_logger, MediaTool.Ffprobe, input.Source, ex.ExitCode, _timeProvider.GetElapsedTime(started).TotalMilliseconds);
            throw ToolFailure.FromExit(MediaTool.Ffprobe, input.Source, ex.ExitCode, ex.StandardError, Readable([input.Path], [input.Source]), Options.MaxPixels);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw limits.Expired(MediaTool.Ffprobe, input.Source, _logger);
        }
        catch (Exception ex) when (ex is FFMpegException or JsonException or FormatException or OverflowException)
        {
            // FormatNullException (no format at all) and whatever FFMpegCore's parser makes of an odd report.
            throw new MediaException(MediaErrorCode.NotMedia, $"ffprobe found no readable container in '{input.Source}' ({ex.Message}).",
                input.Source, innerException: ex);
        }
    }

    /// <summary>
    /// Runs ffmpeg on workspace files: each input with its forced demuxer and the input guard, one output file with
    /// <paramref name="output"/>'s options. Codecs and formats go in as text: FFMpegCore's typed Codec and
    /// ContainerFormat objects would run <c>ffmpeg -codecs</c> with its global options to look them up.
    /// </summary>
    internal async Task RunAsync(
        MediaWorkspace workspace, IReadOnlyList<ToolInput> inputs, string outputPath, Action<FFMpegOutputOptions> output,
        string subject, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(inputs.Count);
        foreach (var input in inputs)
        {
            Guard(workspace, input.Path);
            if (!IsDemuxerName(input.Demuxer))
            {
                throw new ArgumentException($"'{input.Demuxer}' is not a demuxer name.", nameof(inputs));
            }
        }

        Guard(workspace, outputPath);
        var ffOptions = ToolOptions(workspace);
        // -nostdin: FFmpeg would otherwise read keys (q, ?) from the stdin FFMpegCore keeps open; a stop is a kill anyway.
        var arguments = FFMpegArguments.FromFileInput(inputs[0].Path, verifyExists: false, o => o.WithCustomArgument($"-nostdin -hide_banner {InputOptions(inputs[0])}"));
        foreach (var input in inputs.Skip(1))
        {
            arguments = arguments.AddFileInput(input.Path, verifyExists: false, o => o.WithCustomArgument(InputOptions(input)));
        }

        var processor = arguments.OutputToFile(outputPath, overwrite: true, output);
        MediaLog.ToolStarting(_logger, MediaTool.Ffmpeg, subject, processor.Arguments);
        using var limits = new RunLimits(workspace, Options.Timeout, _timeProvider, cancellationToken);
        limits.ThrowIfExpired(MediaTool.Ffmpeg, subject, _logger);
        var started = _timeProvider.GetTimestamp();
        FFMpegResult result;
        try
        {
            result = await processor.ProcessAsynchronously(throwOnError: false, ffOptions, limits.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // FFMpegCore reports most cancellations as a result, but may throw one that comes before the process starts.
            throw limits.Expired(MediaTool.Ffmpeg, subject, _logger);
        }

        if (result.Cancelled)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw limits.Expired(MediaTool.Ffmpeg, subject, _logger);
        }

        MediaLog.ToolExited(_logger, MediaTool.Ffmpeg, subject, result.ExitCode, _timeProvider.GetElapsedTime(started).TotalMilliseconds);
        if (result.ExitCode != 0)
        {
            throw ToolFailure.FromExit(MediaTool.Ffmpeg, subject, result.ExitCode, result.StandardError,
                Readable([.. inputs.Select(i => i.Path), outputPath], [.. inputs.Select(i => i.Source), Path.GetFileName(outputPath)]), Options.MaxPixels);
        }
    }

    private string InputOptions(ToolInput input) => $"{input.Options} -f {input.Demuxer} {_inputGuard}".TrimStart();

    private static void Guard(MediaWorkspace workspace, string path)
    {
        if (!workspace.Owns(path))
        {
            throw new ArgumentException($"'{path}' is not a generated path of the workspace '{workspace.Directory}'; only those reach FFmpeg.", nameof(path));
        }
    }

    private static bool IsDemuxerName(string name) => name.Length is > 0 and <= 32 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');

    private FFOptions ToolOptions(MediaWorkspace workspace)
    {
        var ffOptions = ToolLocation.Resolve(Options);
        ffOptions.WorkingDirectory = workspace.Directory;
        ffOptions.TemporaryFilesFolder = workspace.Directory;
        ffOptions.LogLevel = FFMpegLogLevel.Error;
        ffOptions.Encoding = System.Text.Encoding.UTF8;
        return ffOptions;
    }

    /// <summary>Replaces generated paths in FFmpeg's messages with the names the caller knows.</summary>
    private static Func<string, string> Readable(string[] paths, string[] names) => line =>
    {
        for (var i = 0; i < paths.Length; i++)
        {
            line = line.Replace(paths[i], names[i], StringComparison.Ordinal);
        }

        return line;
    };

    /// <summary>The caller's token, the per-run limit and the workspace's per-job limit, as one token.</summary>
    private sealed class RunLimits : IDisposable
    {
        private readonly MediaWorkspace _workspace;
        private readonly TimeSpan _timeout;
        private readonly CancellationTokenSource _run;
        private readonly CancellationTokenSource _linked;

        public RunLimits(MediaWorkspace workspace, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
        {
            (_workspace, _timeout) = (workspace, timeout);
            _run = new CancellationTokenSource(timeout, timeProvider);
            _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, workspace.Deadline, _run.Token);
        }

        public CancellationToken Token => _linked.Token;

        public void ThrowIfExpired(MediaTool tool, string subject, ILogger logger)
        {
            if (_workspace.Deadline.IsCancellationRequested)
            {
                throw Expired(tool, subject, logger);
            }
        }

        public MediaException Expired(MediaTool tool, string subject, ILogger logger)
        {
            if (_workspace.Deadline.IsCancellationRequested)
            {
                MediaLog.ToolTimedOut(logger, tool, subject, _workspace.JobTimeout);
                return new MediaException(MediaErrorCode.Timeout,
                    $"The media work on '{subject}' passed the per-job limit of {_workspace.JobTimeout.TotalSeconds:0.###} s " +
                    $"(Media:JobTimeout); {tool} was stopped.", subject);
            }

            MediaLog.ToolTimedOut(logger, tool, subject, _timeout);
            return new MediaException(MediaErrorCode.Timeout,
                $"{tool} on '{subject}' took longer than {_timeout.TotalSeconds:0.###} s and was stopped; " +
                "raise Media:Timeout if such inputs are expected.", subject);
        }

        public void Dispose()
        {
            _linked.Dispose();
            _run.Dispose();
        }
    }
}
