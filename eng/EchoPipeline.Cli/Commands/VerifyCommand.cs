using System.CommandLine;
using EchoPipeline.Cli.Scoring;
using EchoPipeline.Cli.Verification;
using EchoPipeline.Media;

namespace EchoPipeline.Cli.Commands;

/// <summary>
/// `verify FILE...`: decodes each file's first audio stream with FFmpeg (any container on the allowlist, any rate),
/// looks for the watermark with the configured key and prints the verdict, the statistic and threshold, the payload,
/// the marked seconds and the metadata found. Exit 0 only when every file is marked; a file that cannot be read gets
/// one line `FILE: error CODE: message`.
/// </summary>
internal static class VerifyCommand
{
    private const double MinimumSeconds = AudioVerifier.MinimumSeconds;

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

        var keys = CliWatermark.VerificationKeys(out var problem);
        if (keys is null)
        {
            await Console.Error.WriteLineAsync($"error: {problem}");
            return ExitCodes.UsageError;
        }

        var (marked, environment) = (0, false);
        foreach (var file in files)
        {
            try
            {
                var verification = await new LocalMedia().VerifyAsync(file.FullName, keys, maxSeconds, cancellationToken);
                Console.Write(VerifyReport.Format(file.ToString(), verification));
                marked += verification.Detection.Present ? 1 : 0;
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
}
