using System.Security.Cryptography;

namespace EchoPipeline.Cli.Batch;

/// <summary>An input found inside the manifest's folder, with the SHA-256 of its bytes (its identity in the pipeline).</summary>
internal sealed record ResolvedInput(string FullPath, string Sha256, long Length);

/// <summary>
/// Finds a row's input relative to the manifest's folder. Paths that leave the folder (<c>..</c>, absolute paths
/// elsewhere, symbolic links pointing out of it) are refused, so a manifest from someone else cannot make the run read
/// and upload other files of this machine.
/// </summary>
internal sealed class InputResolver(string manifestFolder)
{
    private readonly string _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(manifestFolder)) + Path.DirectorySeparatorChar;

    /// <summary>The input, or the error code and message of the row that names it.</summary>
    public async Task<(ResolvedInput? Input, string? Code, string? Message)> ResolveAsync(string input, CancellationToken cancellationToken)
    {
        if (input.Any(char.IsControl))
        {
            return (null, BatchErrorCodes.InvalidRow, "the input path holds control characters.");
        }

        var full = Path.GetFullPath(Path.Combine(_root, input));
        if (!Inside(full) || LinksOutside(full))
        {
            return (null, BatchErrorCodes.InputOutsideManifest, $"'{input}' is outside the manifest's folder; inputs are paths relative to it.");
        }

        if (!File.Exists(full))
        {
            return (null, BatchErrorCodes.InputMissing, $"'{input}' does not exist in the manifest's folder.");
        }

        try
        {
            await using var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            var hash = await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false);
            return (new ResolvedInput(full, Convert.ToHexStringLower(hash), file.Length), null, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, BatchErrorCodes.InputUnreadable, $"cannot read '{input}': {e.Message}");
        }
    }

    private bool Inside(string full) => full.StartsWith(_root, StringComparison.Ordinal) && full.Length > _root.Length;

    /// <summary>Whether a link on the way from the folder to the file (or the file itself) leads out of the folder.</summary>
    private bool LinksOutside(string full)
    {
        var path = _root;
        foreach (var part in full[_root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            path = Path.Combine(path, part);
            FileSystemInfo entry = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
            if (entry.LinkTarget is not null && (entry.ResolveLinkTarget(returnFinalTarget: true) is not { } target || !Inside(Path.GetFullPath(target.FullName))))
            {
                return true;
            }
        }

        return false;
    }
}
