using System.Globalization;
using EchoPipeline.Jobs;
using EchoPipeline.Media;
using EchoPipeline.Jobs.Storage;

namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>
/// Downloads a finished job's files into <c>assets/NN-name/</c> under the output folder: the first extracted frame, each
/// variation's WAV, spectrogram and scored video (upload events ask for all of them: JobParameters.ForBlobCreated).
/// </summary>
internal sealed class OutputCollector(EchoStorage storage, string outFolder)
{
    public async Task<SummaryEntry> CollectAsync(SummaryEntry entry, int index, JobRecord record, CancellationToken cancellationToken)
    {
        var folder = Path.Combine("assets", $"{index:D2}-{SafeName(entry.Input)}");
        Directory.CreateDirectory(Path.Combine(outFolder, folder));
        string? frame = null;
        if (record.Segments.Count > 0)
        {
            frame = await DownloadAsync(StorageNames.FramesContainer, record.Segments[0].FramePng, Path.Combine(folder, "frame.png"), cancellationToken).ConfigureAwait(false);
        }

        var outputs = record.Outputs ?? new JobResultUris();
        var wav = await DownloadAllAsync(StorageNames.AudioContainer, outputs.Wav, folder, cancellationToken).ConfigureAwait(false);
        var spectrogram = await DownloadAllAsync(StorageNames.AudioContainer, outputs.Spectrogram, folder, cancellationToken).ConfigureAwait(false);
        return entry with
        {
            Frame = frame,
            Wav = wav,
            Spectrogram = spectrogram,
            ScoredVideo = await DownloadAllAsync(StorageNames.ScoredContainer, outputs.ScoredVideo, folder, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>A folder name from any file name: letters, digits, '.', '-', '_' kept, the rest '_', at most 40 characters.</summary>
    public static string SafeName(string name)
    {
        var safe = new string([.. Path.GetFileNameWithoutExtension(name).Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_')]).Trim('.');
        return safe.Length == 0 ? "input" : safe[..Math.Min(safe.Length, 40)];
    }

    private async Task<IReadOnlyList<string>> DownloadAllAsync(string container, IReadOnlyList<Uri> uris, string folder, CancellationToken cancellationToken)
    {
        var prefix = storage.Container(container).Uri.AbsolutePath.TrimEnd('/') + "/";
        var files = new List<string>();
        foreach (var uri in uris)
        {
            var path = uri.AbsolutePath;
            if (!path.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"The job record names {uri}, which is not in container '{container}' of this account.");
            }

            var blobName = Uri.UnescapeDataString(path[prefix.Length..]);
            var variation = Path.GetFileNameWithoutExtension(blobName);
            var local = Path.Combine(folder, $"{container}-{variation}{Path.GetExtension(blobName)}");
            files.Add(await DownloadAsync(container, blobName, local, cancellationToken).ConfigureAwait(false));
        }

        return files;
    }

    private async Task<string> DownloadAsync(string container, string blobName, string relativePath, CancellationToken cancellationToken)
    {
        var response = await storage.Container(container).GetBlobClient(blobName).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        await File.WriteAllBytesAsync(Path.Combine(outFolder, relativePath), response.Value.Content.ToArray(), cancellationToken).ConfigureAwait(false);
        return Portable(relativePath);
    }

    // summary.json and the report use '/' whatever the platform.
    private static string Portable(string relativePath) => relativePath.Replace('\\', '/');

    internal static string Describe(MediaSummary? media) => media is null
        ? ""
        : string.Create(CultureInfo.InvariantCulture, $"{media.Kind} {media.DurationSeconds:0.0} s {media.Width}x{media.Height}{(media.Codec is { } c ? " " + c : "")}");
}
