using System.Buffers.Binary;

namespace EchoPipeline.Functions.Tests.Support;

/// <summary>Reads a PNG's signature and IHDR size, enough to check a stored frame without an image library.</summary>
public static class Png
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static (int Width, int Height) Size(ReadOnlySpan<byte> png)
    {
        Assert.True(png[..8].SequenceEqual(Signature), "not a PNG");
        Assert.True(png.Slice(12, 4).SequenceEqual("IHDR"u8), "PNG without IHDR first");
        return (BinaryPrimitives.ReadInt32BigEndian(png.Slice(16, 4)), BinaryPrimitives.ReadInt32BigEndian(png.Slice(20, 4)));
    }
}
