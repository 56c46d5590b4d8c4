using System.Text.RegularExpressions;

namespace EchoPipeline.Infra.Tests.Support;

/// <summary>
/// The consistency rules as pure functions over file text, returning the problems found (empty when consistent), so
/// each rule is run on the real template and on deliberately broken copies of it.
/// </summary>
internal static partial class InfraChecks
{
    /// <summary>Identity-based storage settings that every stage needs in Azure (no connection string there).</summary>
    public static readonly string[] IdentityStorageSettings =
        ["EchoStorage__blobServiceUri", "EchoStorage__queueServiceUri", "EchoStorage__clientId"];

    /// <summary>README keys without a default that infra deliberately leaves unset: the keyed alternative to identity.</summary>
    public static readonly string[] KeyedAlternatives = ["EchoStorage"];

    public static IReadOnlyList<string> SettingsNotReadByCode(IEnumerable<string> settings, IReadOnlySet<string> readByCode, IReadOnlySet<string> platform) =>
        settings
            .Where(s => !readByCode.Contains(s) && !platform.Contains(s))
            .Order(StringComparer.Ordinal)
            .Select(s => $"infra sets '{s}' but the code never reads it")
            .ToList();

    public static IReadOnlyList<string> RequiredSettingsMissing(IReadOnlySet<string> set, IEnumerable<string> required)
    {
        return required.Where(k => !set.Contains(k)).Select(k => $"the code needs '{k}' but infra does not set it").ToList();
    }

    /// <summary>Secrets and keys: account keys, keyed connection strings, listKeys(), shared-key access, admin users.</summary>
    public static IReadOnlyList<string> Secrets(string fileName, string text)
    {
        var code = fileName.EndsWith(".bicep", StringComparison.Ordinal) ? BicepText.WithoutComments(text) : text;
        var problems = new List<string>();
        foreach (var (pattern, what) in SecretPatterns)
        {
            if (Regex.IsMatch(code, pattern, RegexOptions.IgnoreCase))
            {
                problems.Add($"{fileName}: {what}");
            }
        }

        return problems;
    }

    private static readonly (string Pattern, string What)[] SecretPatterns =
    [
        (@"\blist(Keys|AccountSas|ServiceSas|Credentials|Secrets)\s*\(", "calls a list*() function that returns keys or secrets"),
        (@"AccountKey\s*=", "contains an AccountKey= connection string"),
        (@"SharedAccessSignature\s*=|[?&]sig=", "contains a SAS token"),
        (@"allowSharedKeyAccess:\s*true", "enables shared-key access"),
        (@"adminUserEnabled:\s*true", "enables the registry admin user"),
        (@"sharedKey:", "hands out a Log Analytics shared key"),
        (@"InstrumentationKey\s*=\s*[0-9a-f]{8}-", "hard-codes an instrumentation key"),
        (@"(password|secret|key)'?\s*:\s*'[^'$]{8,}'", "hard-codes a secret value"),
        (@"[A-Za-z0-9+/]{40,}==", "contains a long base64 literal (a key?)"),
    ];

    /// <summary>Every storage account in infra disables shared-key access explicitly.</summary>
    public static IReadOnlyList<string> SharedKeyAccess(string storageBicep)
    {
        var code = BicepText.WithoutComments(storageBicep);
        var accounts = Regex.Count(code, @"'Microsoft\.Storage/storageAccounts@[^']+'\s*=");
        var disabled = Regex.Count(code, @"allowSharedKeyAccess:\s*false");
        return accounts == disabled && accounts > 0 ? [] : [$"{accounts} storage account(s), {disabled} with allowSharedKeyAccess: false"];
    }

    /// <summary>Role assignment names are guid(...) of scope, principal and role, never fixed strings.</summary>
    public static IReadOnlyList<string> RoleAssignmentNames(string bicep)
    {
        var code = BicepText.WithoutComments(bicep);
        var problems = new List<string>();
        foreach (Match m in RoleAssignment().Matches(code))
        {
            if (!Regex.IsMatch(m.Groups["name"].Value, @"^guid\(\s*\w[\w.\[\]]*\.id\s*,\s*\w+\s*,\s*\w+\s*\)$"))
            {
                problems.Add($"role assignment '{m.Groups["symbol"].Value}' is named '{m.Groups["name"].Value}', not guid(scope.id, principal, role)");
            }
        }

        return problems;
    }

    public static int RoleAssignmentCount(string bicep) => RoleAssignment().Count(BicepText.WithoutComments(bicep));

    /// <summary>The KEDA azure-queue rules: queue name, identity (not secrets) and scale-to-zero.</summary>
    public static IReadOnlyList<string> QueueScaleRule(string workerBicep, string jobsQueue)
    {
        var code = BicepText.WithoutComments(workerBicep);
        var problems = new List<string>();
        var rule = Regex.Match(code, @"azureQueue:\s*\{(?<body>[^}]*)\}");
        if (!rule.Success)
        {
            return ["no azureQueue scale rule"];
        }

        var body = rule.Groups["body"].Value;
        var queue = Regex.Match(body, @"queueName:\s*(?<expr>\w+|'[^']*')").Groups["expr"].Value;
        var queueValue = queue.StartsWith('\'') ? queue.Trim('\'') : Regex.Match(code, $@"var\s+{queue}\s*=\s*'(?<v>[^']*)'").Groups["v"].Value;
        if (queueValue != jobsQueue)
        {
            problems.Add($"the scale rule watches queue '{queueValue}', the worker consumes '{jobsQueue}'");
        }

        if (!Regex.IsMatch(body, @"identity:\s*identity\.id") || Regex.IsMatch(body, @"\bauth:"))
        {
            problems.Add("the scale rule must authenticate with the worker's managed identity (identity: identity.id), not secrets");
        }

        if (!Regex.IsMatch(body, @"accountName:"))
        {
            problems.Add("the scale rule needs accountName to use a managed identity");
        }

        if (!Regex.IsMatch(code, @"minReplicas:\s*0\b"))
        {
            problems.Add("the worker does not scale to zero (minReplicas: 0)");
        }

        return problems;
    }

    [GeneratedRegex(@"resource\s+(?<symbol>\w+)\s+'Microsoft\.Authorization/roleAssignments@[^']+'\s*=\s*(?:if\s*\([^)]*\)\s*)?(?:\[for\s[^:]*:\s*)?\{\s*name:\s*(?<name>[^\n]+?)\s*\n")]
    private static partial Regex RoleAssignment();
}
