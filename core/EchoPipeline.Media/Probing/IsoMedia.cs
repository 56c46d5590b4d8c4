namespace EchoPipeline.Media;

/// <summary>Recognises the ISO base media (MP4, MOV, M4A) signature without FFmpeg.</summary>
internal static class IsoMedia
{
    /// <summary>True when the file opens with an <c>ftyp</c> box, as every MP4/MOV writer puts first.</summary>
    public static bool HasFileTypeBox(string path)
    {
        Span<byte> head = stackalloc byte[8];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length
               && head[4..].SequenceEqual("ftyp"u8);
    }
}
