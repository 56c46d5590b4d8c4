using System.Text.Json;
using System.Text.RegularExpressions;

namespace EchoPipeline.Infra.Tests.Support;

/// <summary>One instruction of a Dockerfile, continuation lines joined, with the line it starts on.</summary>
internal sealed record DockerInstruction(int Line, string Keyword, string Arguments);

/// <summary>
/// A reading of Dockerfiles good enough to check them without a Docker engine: instructions, the build-context sources
/// of COPY/ADD (ARG defaults substituted) and the dotnet commands of RUN steps.
/// </summary>
internal static partial class DockerfileText
{
    public static IReadOnlyList<DockerInstruction> Parse(string text)
    {
        var instructions = new List<DockerInstruction>();
        var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var start = i + 1;
            var joined = line;
            // A trailing backslash continues the instruction; comment lines inside it are dropped, as Docker does.
            while (joined.EndsWith('\\') && i + 1 < lines.Length)
            {
                joined = joined[..^1].TrimEnd();
                var next = lines[++i].Trim();
                if (!next.StartsWith('#'))
                {
                    joined += " " + next;
                }
            }

            var space = joined.IndexOfAny([' ', '\t']);
            instructions.Add(space < 0
                ? new DockerInstruction(start, joined.ToUpperInvariant(), "")
                : new DockerInstruction(start, joined[..space].ToUpperInvariant(), joined[(space + 1)..].Trim()));
        }

        return instructions;
    }

    /// <summary>The build-context paths COPY and ADD read (not those copied from a stage or an image), by line.</summary>
    public static IReadOnlyList<(int Line, string Source)> ContextSources(IReadOnlyList<DockerInstruction> instructions)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        var sources = new List<(int, string)>();
        foreach (var instruction in instructions)
        {
            if (instruction.Keyword == "ARG")
            {
                var parts = instruction.Arguments.Split('=', 2);
                args[parts[0].Trim()] = parts.Length == 2 ? parts[1].Trim().Trim('"') : "";
                continue;
            }

            if (instruction.Keyword is not ("COPY" or "ADD"))
            {
                continue;
            }

            var words = Words(instruction.Arguments);
            if (words.Any(w => w.StartsWith("--from=", StringComparison.Ordinal)))
            {
                continue;
            }

            var operands = words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
            sources.AddRange(operands.Take(operands.Count - 1).Select(s => (instruction.Line, Substitute(s, args))));
        }

        return sources;
    }

    /// <summary>Each `dotnet restore|publish|build` of the RUN steps: its verb, project path and OnnxRuntimeFlavor (Cpu when unset).</summary>
    public static IReadOnlyList<(int Line, string Verb, string Project, string Flavour)> DotnetCommands(IReadOnlyList<DockerInstruction> instructions)
    {
        var commands = new List<(int, string, string, string)>();
        foreach (var run in instructions.Where(i => i.Keyword == "RUN"))
        {
            foreach (var command in ShellSeparator().Split(run.Arguments).Select(c => c.Trim()))
            {
                var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length < 2 || words[0] != "dotnet" || words[1] is not ("restore" or "publish" or "build"))
                {
                    continue;
                }

                var project = words.Skip(2).FirstOrDefault(w => !w.StartsWith('-')) ?? ".";
                var flavour = FlavourProperty().Match(command) is { Success: true } m ? m.Groups["flavour"].Value : "Cpu";
                commands.Add((run.Line, words[1], project, flavour));
            }
        }

        return commands;
    }

    private static List<string> Words(string arguments) =>
        arguments.StartsWith('[')
            ? JsonSerializer.Deserialize<List<string>>(arguments)!
            : [.. arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)];

    private static string Substitute(string value, Dictionary<string, string> args) =>
        ArgReference().Replace(value, m =>
        {
            var name = m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["plain"].Value;
            return args.TryGetValue(name, out var v) && v.Length > 0 ? v : throw new InvalidOperationException($"${name} has no default value");
        });

    [GeneratedRegex(@"\$(\{(?<braced>\w+)\}|(?<plain>\w+))")]
    private static partial Regex ArgReference();

    [GeneratedRegex(@"&&|\|\||;")]
    private static partial Regex ShellSeparator();

    [GeneratedRegex(@"(?:-p|/p|--property):OnnxRuntimeFlavor=(?<flavour>\w+)")]
    private static partial Regex FlavourProperty();
}
