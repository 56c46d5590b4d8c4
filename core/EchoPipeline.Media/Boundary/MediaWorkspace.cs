using System.Text.RegularExpressions;

namespace EchoPipeline.Media;

/// <summary>
/// A fresh folder for one job's media work, and the only place FFmpeg reads or writes. Inputs are staged into it under
/// generated names (<c>input-1</c>, ...), so no blob or user file name, with its quotes, dashes, colons or
/// <c>%</c> patterns, ever reaches a command line (FFMpegCore joins arguments into one string and quotes paths
/// without escaping them). It also carries the per-job time limit (<see cref="MediaOptions.JobTimeout"/>) that every
/// tool run on its files shares. Disposing deletes the folder.
/// </summary>
public sealed partial class MediaWorkspace : IDisposable
{
    private readonly MediaOptions _options;
    private readonly CancellationTokenSource _deadline;
    private int _files;

    private MediaWorkspace(string directory, MediaOptions options, TimeProvider timeProvider)
    {
        Directory = directory;
        _options = options;
        _deadline = new CancellationTokenSource(options.JobTimeout, timeProvider);
    }

    /// <summary>The folder's absolute path: only characters FFmpeg and FFMpegCore's quoting take literally.</summary>
    public string Directory { get; }

    /// <summary>Cancelled when <see cref="MediaOptions.JobTimeout"/> has passed since the workspace was made.</summary>
    internal CancellationToken Deadline => _deadline.Token;

    internal TimeSpan JobTimeout => _options.JobTimeout;

    /// <summary>Copies a file the caller does not own (a user's upload, a local file) in under a generated name.</summary>
    /// <exception cref="MediaException"><c>not_found</c>, <c>empty_file</c> or <c>too_large</c> (<see cref="MediaOptions.MaxBytes"/>).</exception>
    public async Task<MediaInput> CopyInAsync(string path, CancellationToken cancellationToken = default)
    {
        var size = CheckSize(path);
        var staged = NewPath("input", "");
        try
        {
            var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            await using (source.ConfigureAwait(false))
            {
                var target = new FileStream(staged, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
                await using (target.ConfigureAwait(false))
                {
                    // Bounded even if the file grows while it is read.
                    var buffer = new byte[81920];
                    long copied = 0;
                    int read;
                    while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        copied += read;
                        if (copied > _options.MaxBytes)
                        {
                            throw new MediaException(MediaErrorCode.TooLarge,
                                $"'{path}' grew past {_options.MaxBytes} bytes while it was read (Media:MaxBytes).", path);
                        }

                        await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    }

                    size = copied > 0 ? copied : throw new MediaException(MediaErrorCode.EmptyFile, $"'{path}' is empty (0 bytes); upload it again.", path);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            File.Delete(staged);
            throw new MediaException(MediaErrorCode.NotFound, $"'{path}' could not be read ({ex.Message}).", path, innerException: ex);
        }
        catch
        {
            File.Delete(staged);
            throw;
        }

        return new MediaInput(this, staged, path, size);
    }

    /// <summary>
    /// Moves in a file the caller owns and is done with (a download in its own temporary folder) under a generated
    /// name: a rename on the same volume, so a large upload is not copied again. <paramref name="path"/> is gone after.
    /// <paramref name="source"/> names the input in errors (a blob's name rather than a download's temporary path).
    /// </summary>
    public MediaInput MoveIn(string path, string? source = null)
    {
        var size = CheckSize(path);
        var staged = NewPath("input", "");
        File.Move(path, staged);
        return new MediaInput(this, staged, source ?? path, size);
    }

    /// <summary>A new generated path in the workspace, e.g. <c>frame-7.png</c>; nothing is created.</summary>
    internal string NewPath(string stem, string extension) =>
        Path.Combine(Directory, $"{stem}-{Interlocked.Increment(ref _files)}{extension}");

    /// <summary>True for a path this workspace generated: directly inside it and made of safe characters only.</summary>
    internal bool Owns(string path) => Path.GetDirectoryName(path) == Directory && SafePath().IsMatch(path);

    public void Dispose()
    {
        _deadline.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless; failing the job over it is not.
        }
    }

    internal static MediaWorkspace Create(string? parentDirectory, MediaOptions options, TimeProvider timeProvider)
    {
        var parent = Path.GetFullPath(parentDirectory ?? Path.GetTempPath());
        var directory = Path.Combine(parent, "echo-media-" + Guid.NewGuid().ToString("N"));
        if (!SafePath().IsMatch(directory))
        {
            throw new ArgumentException(
                $"Media workspaces go under '{parent}', whose path has characters other than letters, digits, '/', '.', '_' " +
                "and '-'; FFMpegCore would pass them to FFmpeg unescaped. Choose another temporary folder.", nameof(parentDirectory));
        }

        System.IO.Directory.CreateDirectory(directory);
        return new MediaWorkspace(directory, options, timeProvider);
    }

    private long CheckSize(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new MediaException(MediaErrorCode.NotFound, $"No file at '{path}'.", path);
        }

        if (file.Length == 0)
        {
            throw new MediaException(MediaErrorCode.EmptyFile, $"'{path}' is empty (0 bytes); upload it again.", path);
        }

        return file.Length <= _options.MaxBytes
            ? file.Length
            : throw new MediaException(MediaErrorCode.TooLarge,
                $"'{path}' is {file.Length} bytes; the limit is {_options.MaxBytes} bytes (Media:MaxBytes).", path);
    }

    [GeneratedRegex("^/[A-Za-z0-9._/-]+$")]
    private static partial Regex SafePath();
}
