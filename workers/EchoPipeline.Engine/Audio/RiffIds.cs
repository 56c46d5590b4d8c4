namespace EchoPipeline.Engine.Audio;

/// <summary>RIFF four-character codes: exactly four ASCII letters or digits (space allowed as padding).</summary>
internal static class RiffIds
{
    public static void Validate(string? id, string where)
    {
        if (id is null || id.Length != 4 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c == ' '))
        {
            throw new ArgumentException($"{where} id '{id}' must be four ASCII letters or digits (e.g. ICMT).", nameof(id));
        }
    }
}
