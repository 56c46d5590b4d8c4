using System.Diagnostics;
using EchoPipeline.Testing;

namespace EchoPipeline.Media.Tests.Probing;

/// <summary>
/// Uploads that would make FFmpeg read something other than the upload (playlists, scripts, network descriptions),
/// many pictures, or allocate gigabytes, are refused by the probe with a stable code, quickly, writing nothing.
/// </summary>
public sealed class HostileFileTests(MediaSamples samples) : IClassFixture<MediaSamples>
{
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(5);
    private readonly MediaTools _tools = MediaSamples.Tools();

    public static TheoryData<string, string, string> Files => new()
    {
        { "playlist.mp4", "unsupported_format", "HLS playlist" },
        { "manifest.mp4", "unsupported_format", "DASH manifest" },
        { "list.mp4", "unsupported_format", "ffconcat script" },
        { "camera.mp4", "unsupported_format", "SDP/RTP stream description" },
        { "burst.png", "unsupported_format", "image sequence" },
        { "notes.txt", "not_media", "not a video or image" },
        { "art.ans", "not_media", "not a video or image" },
        { "bomb-100000.png", "too_many_pixels", "100000x100000" },
        { "bomb-40000.png", "too_many_pixels", "40000x40000" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task A_hostile_upload_is_refused_quickly_with_its_code_and_nothing_is_written(string name, string code, string words)
    {
        var path = Write(name);
        using var workspace = _tools.CreateWorkspace();
        var clock = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<MediaException>(async () => await new MediaProbe(_tools).ProbeAsync(await workspace.CopyInAsync(path)));

        Assert.True(clock.Elapsed < Quickly, $"took {clock.Elapsed}");
        Assert.Equal(code, ex.ErrorCode);
        Assert.Contains(words, ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Equal(["input-1"], Directory.GetFiles(workspace.Directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_sequence_pattern_in_a_name_is_only_that_one_file()
    {
        foreach (var n in (int[])[1, 2, 3])
        {
            samples.Make($"shot{n:D3}.png", "-f", "lavfi", "-i", MediaSamples.Color("red", 32, 32), "-frames:v", "1");
        }

        using var workspace = _tools.CreateWorkspace();

        var ex = await Assert.ThrowsAsync<MediaException>(() => workspace.CopyInAsync(samples.PathOf("shot%03d.png")));

        Assert.Equal("not_found", ex.ErrorCode);
    }

    private string Write(string name)
    {
        var path = samples.PathOf(name);
        var clip = samples.Make("real.mp4", "-f", "lavfi", "-i", MediaSamples.Color("blue", 64, 48, 1), "-c:v", "libx264", "-preset", "ultrafast");
        switch (name)
        {
            case "playlist.mp4":
                File.WriteAllText(path, HostileMedia.HlsPlaylist(clip));
                break;
            case "manifest.mp4":
                File.WriteAllText(path, HostileMedia.DashManifest());
                break;
            case "list.mp4":
                File.WriteAllText(path, HostileMedia.FfconcatScript(clip));
                break;
            case "camera.mp4":
                File.WriteAllText(path, HostileMedia.SdpDescription());
                break;
            case "burst.png":
                // Three PNGs back to back, as `ffmpeg -f image2pipe` writes them.
                File.WriteAllBytes(path, MediaSamples.Ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=64x48:r=10:d=0.3", "-c:v", "png", "-f", "image2pipe", "pipe:1"]));
                break;
            case "notes.txt":
                File.WriteAllText(path, "Meeting notes\n- not a video\n");
                break;
            case "art.ans":
                // ANSI art: FFmpeg's tty demuxer would show it as video, but it picks files by extension and staged names have none.
                File.WriteAllText(path, "\u001b[0;31mHello \u001b[1;32mANSI\u001b[0m art\r\n\u001b[5;33m blink \u001b[0m\r\n");
                break;
            case "bomb-100000.png":
                File.WriteAllBytes(path, HostileMedia.PngDeclaring(100000, 100000));
                break;
            case "bomb-40000.png":
                File.WriteAllBytes(path, HostileMedia.PngDeclaring(40000, 40000));
                break;
        }

        return path;
    }
}
