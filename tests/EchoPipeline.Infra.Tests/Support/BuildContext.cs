using System.Diagnostics;
using System.Text.RegularExpressions;

namespace EchoPipeline.Infra.Tests.Support;

/// <summary>
/// What `docker build` gets from a clean clone: the files git tracks under the context folder, less what the
/// Dockerfile's ignore file (BuildKit: &lt;Dockerfile&gt;.dockerignore, else .dockerignore in the context) leaves out.
/// </summary>
internal sealed class BuildContext(IReadOnlyList<string> trackedFiles, IReadOnlyList<string> ignorePatterns)
{
    private readonly List<(Regex Pattern, bool Negated)> _ignore = [.. ignorePatterns.Select(ToRule)];

    /// <summary>The context of a Dockerfile built from the repository root, as azure.yaml and the file's header say.</summary>
    public static BuildContext RepositoryRoot(string dockerfile)
    {
        var ignoreFile = File.Exists(dockerfile + ".dockerignore") ? dockerfile + ".dockerignore" : InfraFiles.Path(".dockerignore");
        var patterns = File.Exists(ignoreFile)
            ? File.ReadAllLines(ignoreFile).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList()
            : [];
        return new BuildContext(TrackedFiles.Value, patterns);
    }

    /// <summary>Files under the repository root that git tracks, with '/' separators: what a clean clone has.</summary>
    public static Lazy<IReadOnlyList<string>> TrackedFiles { get; } = new(() =>
    {
        var start = new ProcessStartInfo("git", ["ls-files", "-z"])
        {
            WorkingDirectory = InfraFiles.Path("."),
            RedirectStandardOutput = true,
        };
        using var git = Process.Start(start)!;
        var listing = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        if (git.ExitCode != 0)
        {
            throw new InvalidOperationException($"git ls-files exited with {git.ExitCode} in {start.WorkingDirectory}");
        }

        return listing.Split('\0', StringSplitOptions.RemoveEmptyEntries);
    });

    /// <summary>Whether the ignore file leaves the path out: a rule matches it or a folder above it; the last rule wins.</summary>
    public bool Excluded(string path)
    {
        var normalized = Normalize(path);
        var excluded = false;
        foreach (var (pattern, negated) in _ignore)
        {
            if (SelfAndParents(normalized).Any(pattern.IsMatch))
            {
                excluded = !negated;
            }
        }

        return excluded;
    }

    /// <summary>Whether a COPY source (a file, a folder or a wildcard, relative to the context) brings at least one file.</summary>
    public bool Provides(string source)
    {
        var normalized = Normalize(source);
        var wildcard = normalized.IndexOfAny(['*', '?']) >= 0 ? Glob(normalized) : null;
        return trackedFiles.Any(f =>
            !Excluded(f)
            && (normalized.Length == 0
                || f == normalized
                || f.StartsWith(normalized + "/", StringComparison.Ordinal)
                || (wildcard is not null && SelfAndParents(f).Any(wildcard.IsMatch))));
    }

    private static string Normalize(string path)
    {
        var trimmed = path.Replace('\\', '/').Trim('/');
        while (trimmed.StartsWith("./", StringComparison.Ordinal))
        {
            trimmed = trimmed[2..];
        }

        return trimmed == "." ? "" : trimmed;
    }

    private static IEnumerable<string> SelfAndParents(string path)
    {
        for (var p = path; p.Length > 0; p = p.Contains('/', StringComparison.Ordinal) ? p[..p.LastIndexOf('/')] : "")
        {
            yield return p;
        }
    }

    private static (Regex, bool) ToRule(string line)
    {
        var negated = line.StartsWith('!');
        return (Glob(Normalize(negated ? line[1..] : line)), negated);
    }

    // Docker's pattern language: '**' any number of folders, '*' and '?' within one name.
    private static Regex Glob(string pattern)
    {
        var regex = Regex.Escape(pattern)
            .Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal)
            .Replace(@"\*\*", ".*", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace(@"\?", "[^/]", StringComparison.Ordinal);
        return new Regex($"^{regex}$", RegexOptions.CultureInvariant);
    }
}
