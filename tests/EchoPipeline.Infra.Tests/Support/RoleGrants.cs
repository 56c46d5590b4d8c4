using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EchoPipeline.Infra.Tests.Support;

/// <summary>
/// The role assignments of the compiled roles module, loops expanded: who (the principal parameter), which role (the
/// variable naming its definition), on what (the scope's resource type, the account parameter and the container or
/// queue names a loop runs over). Read from the ARM JSON the Bicep CLI built, so it is what Azure would be given.
/// </summary>
internal sealed partial record RoleGrant(string Principal, string Role, string ScopeType, string? Account, string? Target)
{
    public static IReadOnlyList<RoleGrant> All()
    {
        var module = CompiledInfra.Module("roles")["properties"]!["template"]!.AsObject();
        var variables = module["variables"]!.AsObject();
        var grants = new List<RoleGrant>();
        foreach (var resource in CompiledInfra.Resources(module).Where(r => r["type"]!.GetValue<string>() == "Microsoft.Authorization/roleAssignments"))
        {
            var principal = Param().Match(resource["properties"]!["principalId"]!.GetValue<string>()).Groups["name"].Value;
            var role = Variable().Match(resource["properties"]!["roleDefinitionId"]!.GetValue<string>()).Groups["name"].Value;
            var scope = resource["scope"]!.GetValue<string>();
            var type = Regex.Match(scope, @"resourceId\('(?<type>[^']+)'").Groups["type"].Value;
            var account = Param().Match(scope) is { Success: true } a ? a.Groups["name"].Value : null;
            var loop = Regex.Match(scope, @"variables\('(?<list>\w+)'\)\[copyIndex\(\)\]");
            IEnumerable<string?> targets = loop.Success
                ? variables[loop.Groups["list"].Value]!.AsArray().Select(n => (string?)n!.GetValue<string>())
                : [null];
            grants.AddRange(targets.Select(t => new RoleGrant(principal, role, type, account, t)));
        }

        return grants;
    }

    [GeneratedRegex(@"parameters\('(?<name>\w+)'\)")]
    private static partial Regex Param();

    [GeneratedRegex(@"variables\('(?<name>\w+)'\)")]
    private static partial Regex Variable();
}
