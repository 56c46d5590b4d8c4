using System.Text.RegularExpressions;

namespace EchoPipeline.Infra.Tests.Support;

/// <summary>
/// The configuration keys an app reads, collected from its sources, without running it:
/// <list type="number">
/// <item>options classes: each public settable property of a class bound to a section, where the section is the
/// class's <c>const string SectionName = "X"</c> or a <c>GetSection("X")</c> bound right after <c>AddOptions&lt;Class&gt;()</c>,
/// gives <c>X__Property</c> (and the section itself, which holds a connection string for <c>EchoStorage</c>);</item>
/// <item>direct reads: <c>configuration["Key"]</c>;</item>
/// <item>the README's configuration tables: rows whose first cell holds keys in backticks.</item>
/// </list>
/// Keys compare case-insensitively, as .NET configuration does.
/// </summary>
internal static partial class ConfigurationKeys
{
    public static IReadOnlySet<string> FromSources(IEnumerable<string> sourceDirectories)
    {
        var files = sourceDirectories
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .ToList();
        var sources = string.Join('\n', files);
        var sectionOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in AddOptionsBinding().Matches(sources))
        {
            sectionOf[m.Groups["type"].Value] = m.Groups["section"].Value;
        }

        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in files)
        {
            foreach (Match type in ClassDeclaration().Matches(file))
            {
                var name = type.Groups["name"].Value;
                var body = ClassBody(file, type.Index + type.Length);
                var section = SectionConstant().Match(body) is { Success: true } c ? c.Groups["section"].Value
                    : sectionOf.GetValueOrDefault(name);
                if (section is null)
                {
                    continue;
                }

                keys.Add(section);
                foreach (Match property in SettableProperty().Matches(body))
                {
                    keys.Add($"{section}__{property.Groups["name"].Value}");
                }
            }

            foreach (Match read in IndexerRead().Matches(file))
            {
                keys.Add(read.Groups["key"].Value.Replace(":", "__", StringComparison.Ordinal));
            }
        }

        return keys;
    }

    public static IReadOnlySet<string> FromReadme(string readmePath)
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(readmePath))
        {
            return keys;
        }

        foreach (var line in ConfigurationSection(readmePath))
        {
            var cells = line.Split('|');
            if (cells.Length < 3 || !line.TrimStart().StartsWith('|'))
            {
                continue;
            }

            foreach (Match key in BacktickKey().Matches(cells[1]))
            {
                keys.Add(key.Groups["key"].Value);
            }
        }

        return keys;
    }

    /// <summary>README rows whose default cell is "—" (no default): the keys a deployment must decide on.</summary>
    public static IReadOnlySet<string> WithoutDefault(string readmePath)
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in ConfigurationSection(readmePath))
        {
            var cells = line.Split('|');
            if (cells.Length >= 4 && cells[2].Trim() is "—" or "-")
            {
                foreach (Match key in BacktickKey().Matches(cells[1]))
                {
                    keys.Add(key.Groups["key"].Value);
                }
            }
        }

        return keys;
    }

    /// <summary>The lines under the README's configuration heading (up to the next heading of the same or higher level).</summary>
    private static IEnumerable<string> ConfigurationSection(string readmePath)
    {
        var level = 0;
        foreach (var line in File.Exists(readmePath) ? File.ReadLines(readmePath) : [])
        {
            if (line.StartsWith('#'))
            {
                var hashes = line.TakeWhile(c => c == '#').Count();
                if (level > 0 && hashes <= level)
                {
                    level = 0;
                }

                if (line.Contains("configuration", StringComparison.OrdinalIgnoreCase))
                {
                    level = hashes;
                }

                continue;
            }

            if (level > 0)
            {
                yield return line;
            }
        }
    }

    private static string ClassBody(string source, int from)
    {
        var open = source.IndexOf('{', from);
        if (open < 0)
        {
            return "";
        }

        var depth = 0;
        for (var i = open; i < source.Length; i++)
        {
            depth += source[i] switch { '{' => 1, '}' => -1, _ => 0 };
            if (depth == 0)
            {
                return source[open..(i + 1)];
            }
        }

        return source[open..];
    }

    [GeneratedRegex(@"\bclass\s+(?<name>\w+)")]
    private static partial Regex ClassDeclaration();

    [GeneratedRegex(@"const\s+string\s+SectionName\s*=\s*""(?<section>\w+)""")]
    private static partial Regex SectionConstant();

    [GeneratedRegex(@"AddOptions<(?<type>\w+)>\(\)\s*\.(?:Bind\(|Configure\(\s*\w+\s*=>)\s*\w+\.GetSection\(\s*""(?<section>\w+)""")]
    private static partial Regex AddOptionsBinding();

    [GeneratedRegex(@"\bpublic\s+(?!static|const)[\w<>\[\]?,. ]+?\s+(?<name>\w+)\s*\{\s*get;\s*(?:set|init);")]
    private static partial Regex SettableProperty();

    [GeneratedRegex(@"[Cc]onfiguration\[\s*""(?<key>[\w:]+)""\s*\]")]
    private static partial Regex IndexerRead();

    [GeneratedRegex(@"`(?<key>[A-Za-z][A-Za-z0-9_]*)`")]
    private static partial Regex BacktickKey();
}
