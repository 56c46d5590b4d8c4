using System.Buffers.Binary;
using System.Text;
using EchoPipeline.Engine.Audio;

namespace EchoPipeline.Engine.Tests.Audio;

public sealed class WavWriterTests
{
    private static readonly KeyValuePair<string, string>[] Info =
    [
        new("INAM", "Café at dusk"),                 // 13 UTF-8 bytes + NUL = 14: no pad byte
        new("ICMT", """{"seed":7,"steps":30}"""),     // 21 bytes + NUL = 22: no pad byte
        new("ISFT", "echopipe"),                     // 8 bytes + NUL = 9: one pad byte
    ];

    [Fact]
    public void Header_and_chunk_sizes_are_those_of_pcm16_mono_riff()
    {
        var bytes = WavWriter.Encode([0f, 0.5f, -0.5f], 22050, Info);

        Assert.Equal("RIFF", Ascii(bytes, 0));
        Assert.Equal(bytes.Length - 8, Int32(bytes, 4));
        Assert.Equal("WAVE", Ascii(bytes, 8));
        Assert.Equal("fmt ", Ascii(bytes, 12));
        Assert.Equal(16, Int32(bytes, 16));
        Assert.Equal(1, Int16(bytes, 20));          // PCM
        Assert.Equal(1, Int16(bytes, 22));          // mono
        Assert.Equal(22050, Int32(bytes, 24));
        Assert.Equal(44100, Int32(bytes, 28));      // byte rate
        Assert.Equal(2, Int16(bytes, 32));          // block align
        Assert.Equal(16, Int16(bytes, 34));

        Assert.Equal("LIST", Ascii(bytes, 36));
        const int listSize = 4 + (8 + 14) + (8 + 22) + (8 + 10);
        Assert.Equal(listSize, Int32(bytes, 40));
        Assert.Equal("INFO", Ascii(bytes, 44));
        Assert.Equal("INAM", Ascii(bytes, 48));
        Assert.Equal(14, Int32(bytes, 52));
        Assert.Equal("Café at dusk\0", Encoding.UTF8.GetString(bytes, 56, 14));
        Assert.Equal("ICMT", Ascii(bytes, 70));
        Assert.Equal("ISFT", Ascii(bytes, 100));
        Assert.Equal(9, Int32(bytes, 104));
        Assert.Equal(0, bytes[108 + 9]);            // the pad byte after an odd body

        var data = 44 + listSize;
        Assert.Equal("data", Ascii(bytes, data));
        Assert.Equal(6, Int32(bytes, data + 4));
        Assert.Equal(data + 8 + 6, bytes.Length);
    }

    [Fact]
    public void Clamps_to_plus_minus_one_and_rounds_halves_away_from_zero()
    {
        var bytes = WavWriter.Encode([1.5f, -2f, 0.5f, -0.5f, 1f / 32767, 0.4f / 32767], 8000);

        short[] expected = [32767, -32767, 16384, -16384, 1, 0];   // 0.5 * 32767 = 16383.5 -> 16384
        Assert.Equal(expected, Enumerable.Range(0, 6).Select(i => (short)Int16(bytes, 44 + (2 * i))));
    }

    [Fact]
    public void Same_input_gives_identical_bytes()
    {
        var samples = TestSignals.Tone(440, 0.8, 5000);
        Assert.Equal(WavWriter.Encode(samples, 22050, Info), WavWriter.Encode(samples, 22050, Info));

        using var stream = new MemoryStream();
        WavWriter.Write(stream, samples, 22050, Info);
        Assert.Equal(WavWriter.Encode(samples, 22050, Info), stream.ToArray());
    }

    [Theory]
    [InlineData("ICM")]
    [InlineData("ICMTX")]
    [InlineData("IC\u00e9T")]
    public void Rejects_info_ids_that_are_not_four_ascii_characters(string id)
    {
        var error = Assert.Throws<ArgumentException>(() => WavWriter.Encode([0f], 22050, [new(id, "x")]));
        Assert.Contains(id, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_duplicate_ids_nul_in_values_and_nan_samples()
    {
        Assert.Contains("more than once", Assert.Throws<ArgumentException>(
            () => WavWriter.Encode([0f], 22050, [new("ICMT", "a"), new("ICMT", "b")])).Message, StringComparison.Ordinal);
        Assert.Contains("NUL", Assert.Throws<ArgumentException>(
            () => WavWriter.Encode([0f], 22050, [new("ICMT", "a\0b")])).Message, StringComparison.Ordinal);
        Assert.Contains("Sample 1", Assert.Throws<ArgumentException>(
            () => WavWriter.Encode([0f, float.NaN], 22050)).Message, StringComparison.Ordinal);
    }

    private static string Ascii(byte[] bytes, int offset) => Encoding.ASCII.GetString(bytes, offset, 4);

    private static int Int32(byte[] bytes, int offset) => BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset));

    private static int Int16(byte[] bytes, int offset) => BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(offset));
}
