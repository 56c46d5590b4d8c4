namespace EchoPipeline.Ingest;

/// <summary>
/// Which uploaded blob names are processed. The name never reaches a shell, a command line or a local path
/// (inputs are staged under a fixed file name, outputs are named by job id), so spaces, quotes, unicode and a
/// leading dash are fine. Refused: names Azure itself would not store (over 1024 characters, a trailing dot or
/// slash), dot segments that other tools resolve as parent folders, backslashes and control characters.
/// </summary>
public static class BlobNameRules
{
    public const int MaxLength = 1024;

    /// <summary>Null when <paramref name="name"/> is acceptable, otherwise what is wrong with it.</summary>
    public static string? Check(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "The blob name is empty.";
        }

        if (name.Length > MaxLength)
        {
            return $"The blob name is {name.Length} characters long; blob names are limited to {MaxLength}. Rename the file and upload it again.";
        }

        if (name.Any(char.IsControl))
        {
            return "The blob name contains control characters (such as a newline or tab). Rename the file and upload it again.";
        }

        if (name.Contains('\\', StringComparison.Ordinal))
        {
            return "The blob name contains a backslash; use '/' to separate folders. Rename the file and upload it again.";
        }

        if (name.Split('/').Any(segment => segment is "." or ".." or ""))
        {
            return "The blob name has an empty, '.' or '..' path segment, which some tools resolve as a different folder. Rename the file and upload it again.";
        }

        if (name.EndsWith('.'))
        {
            return "The blob name ends with a dot, which Azure Storage does not keep. Rename the file and upload it again.";
        }

        return null;
    }

    /// <summary>The name as stored in a job record: unchanged unless it is over the limit, then cut there.</summary>
    public static string ForDisplay(string name) => name.Length <= MaxLength ? name : string.Concat(name.AsSpan(0, MaxLength), "…");
}
