using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EchoPipeline.Infra.Tests.Support;

/// <summary>
/// infra/main.bicep compiled once per test run by the Bicep CLI into its ARM JSON, and the parts the consistency tests
/// read: resources by type through the module deployments, app settings, container env, module parameters.
/// </summary>
internal static partial class CompiledInfra
{
    private static readonly Lazy<JsonObject> LazyMain = new(() => Compile(InfraFiles.Path("infra", "main.bicep")));

    public static JsonObject Main => LazyMain.Value;

    public static JsonObject Compile(string bicepFile)
    {
        var (exitCode, output, diagnostics) = BicepCli.Run("build", bicepFile, "--stdout");
        Assert.True(exitCode == 0, $"bicep build {bicepFile} failed:\n{diagnostics}");
        return JsonNode.Parse(output)!.AsObject();
    }

    /// <summary>Every resource of the template and its modules (Microsoft.Resources/deployments), depth first.</summary>
    public static IEnumerable<JsonObject> Resources(JsonObject template)
    {
        var resources = template["resources"] switch
        {
            JsonArray array => array.Select(r => r!.AsObject()),
            JsonObject symbolic => symbolic.Select(p => p.Value!.AsObject()), // languageVersion 2.0
            _ => [],
        };
        foreach (var resource in resources)
        {
            yield return resource;
            if (resource["type"]!.GetValue<string>() == "Microsoft.Resources/deployments")
            {
                foreach (var nested in Resources(resource["properties"]!["template"]!.AsObject()))
                {
                    yield return nested;
                }
            }
        }
    }

    public static JsonObject Single(string type) => Resources(Main).Single(r => r["type"]!.GetValue<string>() == type);

    /// <summary>The module deployment named <paramref name="name"/> (main.bicep's <c>module x ... name: 'name'</c>).</summary>
    public static JsonObject Module(string name) => Resources(Main).Single(r =>
        r["type"]!.GetValue<string>() == "Microsoft.Resources/deployments" && r["name"]?.GetValue<string>() == name);

    /// <summary>A module's own default for <paramref name="parameter"/>, when main does not pass it.</summary>
    public static string? ModuleDefault(string module, string parameter)
    {
        var deployment = Module(module);
        Assert.Null(deployment["properties"]!["parameters"]?[parameter]);
        return deployment["properties"]!["template"]!["parameters"]![parameter]!["defaultValue"]?.GetValue<string>();
    }

    /// <summary>The ingest app's settings: name and value (a literal or an ARM expression).</summary>
    public static IReadOnlyDictionary<string, string> FunctionAppSettings(JsonObject? template = null) =>
        Resources(template ?? Main).Single(r => r["type"]!.GetValue<string>() == "Microsoft.Web/sites")["properties"]!["siteConfig"]!["appSettings"]!.AsArray()
            .ToDictionary(s => s!["name"]!.GetValue<string>(), s => s!["value"]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);

    /// <summary>The worker container's environment variable names (secretRef ones included), from a literal list or the concat() Bicep makes of it.</summary>
    public static IReadOnlySet<string> WorkerEnvironment()
    {
        var env = Single("Microsoft.App/containerApps")["properties"]!["template"]!["containers"]![0]!["env"]!;
        var names = env is JsonArray array
            ? array.Select(e => e!["name"]!.GetValue<string>())
            : EnvName().Matches(env.GetValue<string>()).Select(m => m.Groups["name"].Value);
        var secrets = Text(Single("Microsoft.App/containerApps")["properties"]!["configuration"]!["secrets"]);
        var variables = string.Join('\n', Module("worker")["properties"]!["template"]!["variables"]!.AsObject().Select(v => Text(v.Value)));
        return names.Concat(EnvName().Matches(variables).Select(m => m.Groups["name"].Value))
            .Where(n => !secrets.Contains($"'{n}'", StringComparison.Ordinal))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    // Expressions are strings; literal JSON is compared as written (ToJsonString would escape the quotes).
    private static string Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "";

    [GeneratedRegex(@"createObject\('name', '(?<name>[^']+)', '(?:value|secretRef)'")]
    private static partial Regex EnvName();
}
