using System.Text.RegularExpressions;

namespace EchoPipeline.Infra.Tests.Support;

/// <summary>
/// Just enough Bicep reading for consistency checks: settings are the <c>{ name: '...', value|secretRef: ... }</c>
/// objects of app settings and container env lists; Container Apps secrets (the targets of <c>secretRef</c>) are not
/// settings. Comments are stripped first so that a commented-out line neither counts nor hides anything.
/// </summary>
internal static partial class BicepText
{
    public static string WithoutComments(string bicep) => LineComment().Replace(BlockComment().Replace(bicep, ""), "");

    public static IReadOnlySet<string> Settings(string bicep)
    {
        var text = WithoutComments(bicep);
        var secrets = SecretRef().Matches(text).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        return Setting().Matches(text)
            .Select(m => m.Groups["name"].Value)
            .Where(n => !secrets.Contains(n))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The literal value a setting is given (<c>value: '...'</c>), or null when it is an expression.</summary>
    public static string? LiteralValue(string bicep, string setting)
    {
        var m = Regex.Match(WithoutComments(bicep), $@"\{{\s*name:\s*'{Regex.Escape(setting)}'\s*,\s*value:\s*'(?<v>[^']*)'\s*\}}", RegexOptions.IgnoreCase);
        return m.Success ? m.Groups["v"].Value : null;
    }

    /// <summary>The string items of a literal array bound to <paramref name="variable"/> (<c>var x = [ 'a' 'b' ]</c>).</summary>
    public static IReadOnlyList<string> StringArray(string bicep, string variable)
    {
        var m = Regex.Match(WithoutComments(bicep), $@"var\s+{Regex.Escape(variable)}\s*=\s*\[(?<items>[^\]]*)\]");
        return m.Success ? Quoted().Matches(m.Groups["items"].Value).Select(q => q.Groups[1].Value).ToList() : [];
    }

    /// <summary>The string items of the <c>@allowed([...])</c> decorator right above <c>param name</c>.</summary>
    public static IReadOnlyList<string> AllowedValues(string bicep, string parameter)
    {
        var m = Regex.Match(WithoutComments(bicep), $@"@allowed\(\[(?<items>[^\]]*)\]\)(?:\s*@[^\n]*)*\s*param\s+{Regex.Escape(parameter)}\s");
        return m.Success ? Quoted().Matches(m.Groups["items"].Value).Select(q => q.Groups[1].Value).ToList() : [];
    }

    [GeneratedRegex(@"\{\s*name:\s*'(?<name>[^']+)'\s*,\s*(?:value|secretRef):")]
    private static partial Regex Setting();

    [GeneratedRegex(@"secretRef:\s*'(?<name>[^']+)'")]
    private static partial Regex SecretRef();

    [GeneratedRegex(@"'([^']*)'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"(?m)(?<!:)//.*$")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex BlockComment();
}
