namespace EchoPipeline.Infra.Tests.Support;

/// <summary>
/// A YAML-lite reading of azure.yaml: each line <c>key: value</c> becomes the dotted path of its indentation chain
/// (<c>services.worker.docker.path</c>). Enough for the flat mappings azd uses; lists and flow styles are not read.
/// </summary>
internal static class AzureYaml
{
    public static IReadOnlyDictionary<string, string> Parse(string yaml)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var stack = new List<(int Indent, string Key)>();
        foreach (var raw in yaml.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var hash = line.IndexOf(" #", StringComparison.Ordinal);
            var content = (line.TrimStart().StartsWith('#') ? "" : hash >= 0 ? line[..hash] : line).TrimEnd();
            if (content.Trim().Length == 0)
            {
                continue;
            }

            var indent = content.Length - content.TrimStart().Length;
            var colon = content.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            stack.RemoveAll(e => e.Indent >= indent);
            var key = content[..colon].Trim();
            var value = content[(colon + 1)..].Trim();
            stack.Add((indent, key));
            if (value.Length > 0)
            {
                values[string.Join('.', stack.Select(e => e.Key))] = value.Trim('"', '\'');
            }
        }

        return values;
    }

    public static IReadOnlyList<string> Services(IReadOnlyDictionary<string, string> yaml) =>
        yaml.Keys.Where(k => k.StartsWith("services.", StringComparison.Ordinal))
            .Select(k => k.Split('.')[1])
            .Distinct()
            .ToList();
}
