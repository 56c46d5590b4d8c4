namespace EchoPipeline.Media;

/// <summary>Names files for FFmpeg so that no file name is ever read as something else.</summary>
internal static class MediaPath
{
    /// <summary>
    /// An absolute path behind the <c>file:</c> protocol: a leading '-' cannot look like an option,
    /// a ':' cannot select another protocol, and the file protocol takes the rest verbatim.
    /// </summary>
    public static string ToUrl(string path) => "file:" + Path.GetFullPath(path);
}
