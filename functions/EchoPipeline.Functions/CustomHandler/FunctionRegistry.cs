using System.Diagnostics.CodeAnalysis;

namespace EchoPipeline.Functions.CustomHandler;

/// <summary>The registered functions by name (ordinal, as the host sends the folder name).</summary>
public sealed class FunctionRegistry(IEnumerable<IFunction> functions)
{
    private readonly Dictionary<string, IFunction> _byName = functions.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => _byName.Keys;

    public bool TryGet(string name, [NotNullWhen(true)] out IFunction? function) => _byName.TryGetValue(name, out function);
}
