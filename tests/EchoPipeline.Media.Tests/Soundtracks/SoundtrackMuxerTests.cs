using System.Globalization;
using System.Text.RegularExpressions;

namespace EchoPipeline.Media.Tests.Soundtracks;

public sealed partial class SoundtrackMuxerTests(MediaSamples samples) : IClassFixture<MediaSamples>, IDisposable
{
    private static readonly MediaTools Tools = MediaSamples.Tools();
    private readonly MediaWorkspace _workspace = Tools.CreateWorkspace();

    public void Dispose() => _workspace.Dispose();

    [Theory]
    [InlineData("scored.mp4", "mov,mp4")]
    [InlineData("scored.mkv", "matroska")]
    public async Task The_video_is_copied_and_the_audio_is_normalised_aac_for_the_whole_video(string name, string format)
    {
        var (video, wav) = Inputs();
        var output = samples.PathOf("-scored 'output' " + name);

        await new SoundtrackMuxer(Tools).MuxAsync(await ProbeAsync(video), await File.ReadAllBytesAsync(wav), output);

        var info = await ProbeAsync(output);
        Assert.StartsWith(format, info.ContainerFormat, StringComparison.Ordinal);
        Assert.True(info.HasAudio);
        Assert.Equal("h264", info.Video.Codec);
        Assert.InRange(info.DurationSeconds!.Value, 2.9, 3.2); // the 2 s sound is padded to the 3 s video
        Assert.Equal(VideoPacketsMd5(video), VideoPacketsMd5(output)); // copied, not re-encoded
        Assert.InRange(IntegratedLoudness(output), -17.5, -14.5);
        Assert.False(File.Exists(output + ".partial"));
    }

    [Theory]
    [InlineData("tagged.mp4")]
    [InlineData("tagged.mkv")]
    public async Task The_comment_tag_says_the_audio_is_ai_generated(string name)
    {
        var (video, wav) = Inputs();
        var output = samples.PathOf(name);
        const string comment = "ai_generated_audio=true; software=EchoPipeline; model=echo-demo; job=0123abcd; variation=0";

        await new SoundtrackMuxer(Tools).MuxAsync(await ProbeAsync(video), await File.ReadAllBytesAsync(wav), output, comment);

        var tags = System.Text.Encoding.UTF8.GetString(MediaSamples.Ffprobe(["-v", "error", "-show_entries", "format_tags=comment", "-of", "default=nw=1:nk=1", "file:" + output])).Trim();
        Assert.Equal(comment, tags);
    }

    [Fact]
    public async Task A_comment_that_could_break_the_command_line_is_refused()
    {
        var (video, wav) = Inputs();

        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await new SoundtrackMuxer(Tools).MuxAsync(await ProbeAsync(video), await File.ReadAllBytesAsync(wav), samples.PathOf("x.mp4"), "a\" -i /etc/passwd \""));
    }

    [Fact]
    public async Task A_failed_mux_leaves_no_output_and_names_the_input()
    {
        var (video, wav) = Inputs();
        var info = await ProbeAsync(video);
        // The staged copy disappears between the probe and the mux, so ffmpeg fails.
        File.Delete(info.Input.Path);
        var output = samples.PathOf("failed.mp4");

        var ex = await Assert.ThrowsAsync<MediaException>(() => new SoundtrackMuxer(Tools).MuxAsync(info, File.ReadAllBytes(wav), output));

        Assert.Equal("not_found", ex.ErrorCode);
        Assert.Contains(video, ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.Equal([], Directory.GetFiles(_workspace.Directory));
    }

    [Fact]
    public async Task The_video_stream_is_taken_by_its_probed_index_when_sound_comes_first()
    {
        var path = samples.Make("sound-first.mkv", "-f", "lavfi", "-i", "sine=d=3", "-f", "lavfi", "-i", "testsrc2=s=160x120:r=10:d=3",
            "-map", "0:a", "-map", "1:v", "-c:a", "aac", "-c:v", "libx264", "-preset", "ultrafast");
        var (_, wav) = Inputs();
        var output = samples.PathOf("sound-first-scored.mkv");

        var info = await ProbeAsync(path);
        await new SoundtrackMuxer(Tools).MuxAsync(info, await File.ReadAllBytesAsync(wav), output);

        Assert.Equal(1, info.Video.Index);
        Assert.Equal(VideoPacketsMd5(path), VideoPacketsMd5(output));
    }

    private (string Video, string Wav) Inputs() => (
        samples.Make("silent.mp4", "-f", "lavfi", "-i", "testsrc2=s=160x120:r=10:d=3", "-c:v", "libx264", "-preset", "ultrafast"),
        samples.Make("tone.wav", "-f", "lavfi", "-i", "sine=f=440:d=2:sample_rate=22050", "-c:a", "pcm_s16le"));

    private async Task<MediaInfo> ProbeAsync(string path) => await new MediaProbe(Tools).ProbeAsync(await _workspace.CopyInAsync(path));

    private static string VideoPacketsMd5(string path) => System.Text.Encoding.ASCII.GetString(
        MediaSamples.Ffmpeg(["-i", "file:" + path, "-map", "0:v", "-c", "copy", "-f", "md5", "pipe:1"])).Trim();

    /// <summary>EBU R128 integrated loudness measured by ffmpeg's ebur128 filter (independent of loudnorm).</summary>
    private static double IntegratedLoudness(string path)
    {
        var printed = System.Text.Encoding.ASCII.GetString(MediaSamples.Ffmpeg(
            ["-i", "file:" + path, "-map", "0:a", "-af", "ebur128=metadata=1,ametadata=mode=print:key=lavfi.r128.I:file=-", "-f", "null", "-"]));
        var values = LoudnessLine().Matches(printed);
        Assert.NotEmpty(values);
        return double.Parse(values[^1].Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"lavfi\.r128\.I=(-?[0-9.]+)")]
    private static partial Regex LoudnessLine();
}
