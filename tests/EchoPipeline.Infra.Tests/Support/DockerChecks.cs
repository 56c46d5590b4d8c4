using System.Xml.Linq;

namespace EchoPipeline.Infra.Tests.Support;

/// <summary>
/// Rules for the worker images as pure functions over a Dockerfile's text and its build context, returning the
/// problems found (empty when the image builds from a clean clone), so each rule also runs on broken copies.
/// </summary>
internal static class DockerChecks
{
    /// <summary>Files that steer every build below their folder: a project needs the ones above it in the context.</summary>
    private static readonly string[] BuildSettingsFiles =
        ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "NuGet.config"];

    /// <summary>COPY/ADD sources that a clean clone's context does not have (untracked, missing or ignored).</summary>
    public static IReadOnlyList<string> MissingCopySources(string dockerfile, BuildContext context)
    {
        var problems = new List<string>();
        foreach (var (line, source) in DockerfileText.ContextSources(DockerfileText.Parse(dockerfile)))
        {
            if (!context.Provides(source))
            {
                problems.Add($"line {line}: COPY source '{source}' is not in the build context of a clean clone (untracked or ignored)");
            }
        }

        return problems;
    }

    /// <summary>Instructions that mention .deps/, which only eng/bootstrap.sh fills and a clean clone lacks.</summary>
    public static IReadOnlyList<string> DepsReferences(string dockerfile) =>
        DockerfileText.Parse(dockerfile)
            .Where(i => i.Arguments.Contains(".deps", StringComparison.Ordinal))
            .Select(i => $"line {i.Line}: {i.Keyword} reads .deps/, which a clean clone does not have")
            .ToList();

    /// <summary>
    /// Tracked files that the projects built by `dotnet restore|publish|build` need but the context leaves out: every
    /// file of each project folder in their ProjectReference closure, and the build settings files above them.
    /// </summary>
    public static IReadOnlyList<string> BuildInputsOutsideContext(string dockerfile, BuildContext context, IReadOnlyList<string> trackedFiles)
    {
        var projects = new SortedSet<string>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (line, _, project, _) in DockerfileText.DotnetCommands(DockerfileText.Parse(dockerfile)))
        {
            var file = project.EndsWith("proj", StringComparison.Ordinal)
                ? project
                : trackedFiles.SingleOrDefault(f => Path.GetDirectoryName(f)!.Replace('\\', '/') == project.TrimEnd('/') && f.EndsWith(".csproj", StringComparison.Ordinal));
            if (file is null || !trackedFiles.Contains(file))
            {
                problems.Add($"line {line}: '{project}' is not a tracked project");
                continue;
            }

            AddClosure(file, projects);
        }

        var needed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var project in projects)
        {
            var folder = Path.GetDirectoryName(project)!.Replace('\\', '/');
            needed.UnionWith(trackedFiles.Where(f => f.StartsWith(folder + "/", StringComparison.Ordinal)));
            for (var dir = folder; ; dir = Path.GetDirectoryName(dir)!.Replace('\\', '/'))
            {
                needed.UnionWith(trackedFiles.Where(f =>
                    Path.GetDirectoryName(f)!.Replace('\\', '/') == dir
                    && BuildSettingsFiles.Contains(Path.GetFileName(f), StringComparer.OrdinalIgnoreCase)));
                if (dir.Length == 0)
                {
                    break;
                }
            }
        }

        problems.AddRange(needed.Where(context.Excluded).Select(f => $"{f} is needed by the build but left out of the context"));
        return problems;
    }

    private static void AddClosure(string project, ISet<string> projects)
    {
        if (!projects.Add(project))
        {
            return;
        }

        var folder = Path.GetDirectoryName(project)!;
        foreach (var reference in XDocument.Load(InfraFiles.Path(project)).Descendants("ProjectReference"))
        {
            var include = ((string)reference.Attribute("Include")!).Replace('\\', '/');
            var relative = include.StartsWith("$(RepoRoot)", StringComparison.Ordinal)
                ? include["$(RepoRoot)".Length..]
                : Path.GetRelativePath(InfraFiles.Path("."), Path.GetFullPath(InfraFiles.Path(folder, include))).Replace('\\', '/');
            AddClosure(relative, projects);
        }
    }
}
