namespace EchoPipeline.Cli.Scoring;

/// <summary>One file to score: <see cref="Stem"/> is where its outputs go under --output, without an extension.</summary>
internal sealed record ScoreInput(FileInfo File, string Stem)
{
    /// <summary>How messages name it: the stem's folders and the file's own name.</summary>
    public string Display => Path.Join(Path.GetDirectoryName(Stem), File.Name);
}

/// <summary>
/// `score`'s arguments as files. A file is itself (its outputs at the top of --output); a folder is every file below it
/// in ordinal order, hidden ones and those under --output left out (a rerun must not score the last run's outputs), its
/// outputs under the same relative folders, so a library's layout survives.
/// </summary>
internal static class ScoreInputs
{
    private static readonly EnumerationOptions Walk = new()
    {
        RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
    };

    public static IReadOnlyList<ScoreInput> Expand(IEnumerable<FileSystemInfo> arguments, DirectoryInfo output)
    {
        var outputs = Path.TrimEndingDirectorySeparator(output.FullName) + Path.DirectorySeparatorChar;
        return
        [
            .. arguments.SelectMany(argument => argument is DirectoryInfo folder
                ? folder.EnumerateFiles("*", Walk)
                    .Where(file => !file.FullName.StartsWith(outputs, StringComparison.Ordinal))
                    .Select(file => Path.GetRelativePath(folder.FullName, file.FullName))
                    .Order(StringComparer.Ordinal)
                    .Select(relative => new ScoreInput(new FileInfo(Path.Combine(folder.FullName, relative)), WithoutExtension(relative)))
                : [new ScoreInput(new FileInfo(argument.FullName), Path.GetFileNameWithoutExtension(argument.Name))]),
        ];
    }

    /// <summary>
    /// The first two inputs whose outputs would land on the same path (a.png and a.jpg both make a.wav), compared without
    /// case as Windows and macOS file systems do; null when every output has a path of its own.
    /// </summary>
    public static (string First, string Second, string Output)? FirstClash(IEnumerable<(ScoreInput Input, string Output)> outputs)
    {
        var seen = new Dictionary<string, ScoreInput>(StringComparer.OrdinalIgnoreCase);
        foreach (var (input, output) in outputs)
        {
            if (!seen.TryAdd(output, input))
            {
                return (seen[output].Display, input.Display, output);
            }
        }

        return null;
    }

    private static string WithoutExtension(string relative) =>
        Path.Join(Path.GetDirectoryName(relative), Path.GetFileNameWithoutExtension(relative));
}
