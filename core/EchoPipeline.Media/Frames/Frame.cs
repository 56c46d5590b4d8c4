namespace EchoPipeline.Media;

/// <summary>A 256x256 RGB frame (rgb24, row-major, top row first), the image tokenizer's input.</summary>
public sealed class Frame
{
    public const int Size = 256;
    public const int ByteLength = Size * Size * 3;

    public Frame(ReadOnlyMemory<byte> rgb24, TimeSpan timestamp)
    {
        if (rgb24.Length != ByteLength)
        {
            throw new ArgumentException($"A frame holds {ByteLength} bytes (256x256 rgb24), not {rgb24.Length}.", nameof(rgb24));
        }

        Rgb24 = rgb24;
        Timestamp = timestamp;
    }

    public ReadOnlyMemory<byte> Rgb24 { get; }

    /// <summary>Where in the source the frame was taken (zero for still images).</summary>
    public TimeSpan Timestamp { get; }

    /// <summary>The (r, g, b) of one pixel.</summary>
    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            var pixel = Rgb24.Span.Slice(((y * Size) + x) * 3, 3);
            return (pixel[0], pixel[1], pixel[2]);
        }
    }
}
