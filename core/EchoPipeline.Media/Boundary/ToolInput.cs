namespace EchoPipeline.Media;

/// <summary>One input of an ffmpeg run: a workspace file, the demuxer to read it with, and input options we wrote (a seek).</summary>
internal sealed record ToolInput(string Path, string Demuxer, string Source, string? Options = null)
{
    public static ToolInput Of(MediaInfo info, string? options = null) => new(info.Input.Path, info.Demuxer, info.Source, options);
}
