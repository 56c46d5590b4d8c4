namespace EchoPipeline.Media;

/// <summary>The two FFmpeg executables the library drives.</summary>
public enum MediaTool
{
    Ffmpeg,
    Ffprobe,
}
