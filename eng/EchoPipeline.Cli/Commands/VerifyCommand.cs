using System.CommandLine;
using EchoPipeline.Cli.Scoring;
using EchoPipeline.Cli.Verification;
using EchoPipeline.Media;
using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Cli.Commands;

/// <summary>
/// `verify FILE...`: decodes each file's first audio stream with FFmpeg (any container on the allowlist, any rate),
/// looks for the watermark with the configured key and prints the verdict, the statistic and threshold, the payload,
/// the marked seconds and the metadata found. Exit 0 only when every file is marked; a file that cannot be read gets
/// one line `FILE: error CODE: message`.
/// </summary>
internal static class VerifyCommand
{
    /// <summary>Below this the mark's period is barely covered: refuse rather than guess.</summary>
    private const double MinimumSeconds = 1.0;

    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("FILE") { Description = "WAV, MP3, AAC/M4A, FLAC, OGG, MP4/MOV or MKV files with audio.", Arity = ArgumentArity.OneOrMore };
        var maxSeconds = new Option<double>("--max-seconds") { Description = "Analyse at most this much of each file.", DefaultValueFactory = _ => 600 };
        var command = new Command("verify", $"Check files for the EchoPipeline watermark (key: ${CliWatermark.SecretVariable}, else the public default key).")
        {
            files, maxSeconds,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(files)!, parse.GetValue(maxSeconds), cancellationToken));
        return command;
    }

    internal static async Task<int> RunAsync(FileInfo[] files, double maxSeconds, CancellationToken cancellationToken)
    {
        if (maxSeconds < MinimumSeconds)
        {
            await Console.Error.WriteLineAsync($"--max-seconds must be at least {MinimumSeconds}.");
            return ExitCodes.UsageError;
        }

        var key = CliWatermark.Key(out var problem);
        if (key is null)
        {
            await Console.Error.WriteLineAsync($"error: {problem}");
            return ExitCodes.UsageError;
        }

        var (marked, environment) = (0, false);
        foreach (var file in files)
        {
            try
            {
                var (probed, detection) = await VerifyAsync(file.FullName, key, maxSeconds, cancellationToken);
                Console.Write(VerifyReport.Format(file.ToString(), probed, detection, key));
                marked += detection.Present ? 1 : 0;
            }
            catch (VerifyException e)
            {
                Console.WriteLine($"{ToolProcess.Printable(file.ToString(), 300)}: error {e.Code}: {e.Message}");
            }
            catch (MediaException e)
            {
                // The same media boundary and codes as the ingest (EchoPipeline.Media): ffmpeg only sees a generated path.
                Console.WriteLine($"{ToolProcess.Printable(file.ToString(), 300)}: error {e.ErrorCode}: {ToolProcess.Printable(e.Message, 300)}");
                environment |= e.Code == MediaErrorCode.FfmpegMissing;
            }
            catch (OperationCanceledException)
            {
                await Console.Error.WriteLineAsync("cancelled");
                return ExitCodes.Cancelled;
            }
        }

        return environment ? ExitCodes.EnvironmentMissing : marked == files.Length ? ExitCodes.Success : ExitCodes.SomeInputsFailed;
    }

    private static async Task<(DecodedAudio, WatermarkDetection)> VerifyAsync(string path, WatermarkKey key, double maxSeconds, CancellationToken cancellationToken)
    {
        var probed = await new LocalMedia().DecodeAudioAsync(path, WatermarkScheme.SampleRate, maxSeconds, cancellationToken);
        var samples = probed.Samples;
        if (samples.Length < MinimumSeconds * WatermarkScheme.SampleRate)
        {
            throw new VerifyException(VerifyException.Codes.TooShort,
                $"{(double)samples.Length / WatermarkScheme.SampleRate:F2} s of audio; the watermark needs at least {MinimumSeconds:F0} s.");
        }

        return (probed, WatermarkDetector.Detect(samples, key));
    }
}
