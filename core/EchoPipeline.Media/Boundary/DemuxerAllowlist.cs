namespace EchoPipeline.Media;

/// <summary>
/// The FFmpeg demuxers an input may be read with. ffprobe gets the list as <c>-format_whitelist</c>, so it refuses
/// anything else before that demuxer reads a byte of it: HLS/DASH playlists (which open further files), ffconcat
/// scripts, SDP/RTP descriptions, tty text, image sequences (image2) and the hundreds of obscure formats FFmpeg knows.
/// </summary>
internal sealed class DemuxerAllowlist
{
    private static readonly string[] SoundOnly = ["wav", "flac", "mp3", "ogg", "aac"];

    /// <summary>
    /// Videos and single pictures: the inputs a frame is taken from. Sound-only formats are recognised too, only so
    /// that an uploaded song is told it has no picture rather than that its format is refused.
    /// </summary>
    public static readonly DemuxerAllowlist Pictures = new(
        containers: ["mov", "matroska", "avi", "mpegts", "flv"], stills: ["png_pipe", "jpeg_pipe", "webp_pipe", "bmp_pipe"], recognisedOnly: SoundOnly);

    /// <summary>Sound files: the inputs of audio-to-image.</summary>
    public static readonly DemuxerAllowlist Sounds = new(containers: [.. SoundOnly, "mov", "matroska"], stills: [], recognisedOnly: []);

    private readonly string[] _containers;
    private readonly string[] _stills;
    private readonly string[] _recognisedOnly;

    private DemuxerAllowlist(string[] containers, string[] stills, string[] recognisedOnly) =>
        (_containers, _stills, _recognisedOnly) = (containers, stills, recognisedOnly);

    /// <summary>The value of ffprobe's <c>-format_whitelist</c>: what ffprobe may open at all.</summary>
    public string FormatWhitelist => string.Join(',', _containers.Concat(_stills).Concat(_recognisedOnly));

    /// <summary>True for the formats ffprobe was allowed to open, accepted or not.</summary>
    public bool Recognises(string formatName) => Allows(formatName) || _recognisedOnly.Contains(DemuxerOf(formatName), StringComparer.Ordinal);

    /// <summary>
    /// The demuxer to force with <c>-f</c> for a probed <c>format_name</c>: its first name, which selects the same
    /// demuxer (<c>mov,mp4,m4a,3gp,3g2,mj2</c> gives <c>mov</c>, <c>matroska,webm</c> gives <c>matroska</c>).
    /// </summary>
    public static string DemuxerOf(string formatName) => formatName.Split(',')[0];

    /// <summary>True for the formats whose files are read.</summary>
    public bool Allows(string formatName) => _containers.Concat(_stills).Contains(DemuxerOf(formatName), StringComparer.Ordinal);

    public bool IsStill(string formatName) => _stills.Contains(DemuxerOf(formatName), StringComparer.Ordinal);

    /// <summary>What a refused demuxer reads, in words for the error message.</summary>
    public static string Describe(string demuxer) => demuxer switch
    {
        "hls" or "applehttp" => "an HLS playlist",
        "dash" => "a DASH manifest",
        "concat" => "an ffconcat script",
        "sdp" or "rtp" or "rtsp" => "an SDP/RTP stream description",
        "tty" => "a text file (tty)",
        "image2" or "image2pipe" => "an image sequence",
        "apng" or "gif" or "gif_pipe" => "an animation",
        _ => $"a '{demuxer}' file",
    };
}
