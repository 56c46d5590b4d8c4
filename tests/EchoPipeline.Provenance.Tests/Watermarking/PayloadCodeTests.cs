using System.Text;
using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Provenance.Tests.Watermarking;

public sealed class PayloadCodeTests
{
    [Fact]
    public void The_crc_is_crc16_ccitt_false_by_its_published_check_value() =>
        // The catalogue's check value: CRC of the ASCII bytes "123456789".
        Assert.Equal(0x29B1, PayloadCode.Crc16(Encoding.ASCII.GetBytes("123456789")));

    [Theory]
    [InlineData(0u)]
    [InlineData(0x3f2a91c5u)]
    [InlineData(uint.MaxValue)]
    public void Four_twelve_bit_symbols_carry_the_payload_and_its_crc(uint value)
    {
        var symbols = PayloadCode.Encode(new WatermarkPayload(value));

        Assert.Equal(4, symbols.Length);
        Assert.All(symbols, s => Assert.InRange(s, 0, 4095));
        Assert.Equal(value, PayloadCode.Decode(symbols)!.Value.Value);
        Assert.Equal((int)(value >> 20), symbols[0]);
    }

    [Fact]
    public void A_misread_symbol_fails_the_crc()
    {
        var symbols = PayloadCode.Encode(new WatermarkPayload(0x3f2a91c5u));
        symbols[2] ^= 0x040;

        Assert.Null(PayloadCode.Decode(symbols));
    }
}
