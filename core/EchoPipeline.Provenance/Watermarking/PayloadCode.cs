namespace EchoPipeline.Provenance.Watermarking;

/// <summary>
/// The payload on the wire: 32 bits followed by their CRC-16/CCITT-FALSE, 48 bits cut into four 12-bit symbols
/// (most significant first). A symbol is sent as a circular shift of its keyed sequence by symbol x
/// <see cref="WatermarkScheme.SymbolSpacing"/> samples relative to the pilot (code-shift keying: one of 4096
/// orthogonal-like positions, detected by the same correlation that finds the pilot).
/// </summary>
internal static class PayloadCode
{
    private const int SymbolMask = (1 << WatermarkScheme.BitsPerSymbol) - 1;

    public static int[] Encode(WatermarkPayload payload)
    {
        var word = ((ulong)payload.Value << 16) | Crc16(payload.Value);
        var symbols = new int[WatermarkScheme.Symbols];
        for (var i = 0; i < symbols.Length; i++)
        {
            symbols[i] = (int)(word >> (WatermarkScheme.BitsPerSymbol * (symbols.Length - 1 - i))) & SymbolMask;
        }

        return symbols;
    }

    /// <summary>The payload, or null when the CRC does not match (a symbol was misread).</summary>
    public static WatermarkPayload? Decode(ReadOnlySpan<int> symbols)
    {
        if (symbols.Length != WatermarkScheme.Symbols)
        {
            throw new ArgumentException($"Expected {WatermarkScheme.Symbols} symbols, got {symbols.Length}.", nameof(symbols));
        }

        ulong word = 0;
        foreach (var symbol in symbols)
        {
            word = (word << WatermarkScheme.BitsPerSymbol) | (uint)(symbol & SymbolMask);
        }

        var value = (uint)(word >> 16);
        return (ushort)word == Crc16(value) ? new WatermarkPayload(value) : null;
    }

    /// <summary>CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection) over the value's 4 bytes, big-endian.</summary>
    public static ushort Crc16(uint value)
    {
        Span<byte> bytes = [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
        return Crc16(bytes);
    }

    public static ushort Crc16(ReadOnlySpan<byte> bytes)
    {
        var crc = (ushort)0xFFFF;
        foreach (var b in bytes)
        {
            crc ^= (ushort)(b << 8);
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
            }
        }

        return crc;
    }
}
