using System.Text.Json;
using EchoPipeline.Engine.Audio;

namespace EchoPipeline.Cli.Tests.LocalPipeline;

/// <summary>`demo` through the real local pipeline: what summary.json says and what lies in the output folder.</summary>
[Collection(DemoRunTests.Name)]
public sealed class DemoCommandTests(DemoRunFixture run)
{
    [Fact]
    public void Exits_1_because_some_inputs_failed()
    {
        Assert.Equal(ExitCodes.SomeInputsFailed, run.ExitCode);
    }

    [Fact]
    public void Summary_has_one_entry_per_input_with_the_right_status_and_error_code()
    {
        var entries = Entries();

        Assert.Equal(4, entries.Count);
        Assert.Equal("succeeded", entries[DemoRunFixture.Video].GetProperty("status").GetString());
        Assert.Equal("succeeded", entries[DemoRunFixture.HostileStill].GetProperty("status").GetString());
        Assert.Equal("failed", entries[DemoRunFixture.Corrupt].GetProperty("status").GetString());
        Assert.Equal("failed", entries[DemoRunFixture.RefusedName].GetProperty("status").GetString());
        Assert.Equal("invalid_blob_name", entries[DemoRunFixture.RefusedName].GetProperty("errorCode").GetString());
        Assert.Equal("no_video_stream", entries[DemoRunFixture.Corrupt].GetProperty("errorCode").GetString());
        Assert.False(string.IsNullOrWhiteSpace(entries[DemoRunFixture.Corrupt].GetProperty("errorMessage").GetString()));
        Assert.All(entries.Values, e => Assert.Matches("^[0-9a-f]{32}$", e.GetProperty("jobId").GetString()!));
    }

    [Fact]
    public async Task Succeeded_entries_list_a_frame_a_wav_a_spectrogram_and_for_videos_the_scored_video()
    {
        foreach (var name in new[] { DemoRunFixture.Video, DemoRunFixture.HostileStill })
        {
            var entry = Entries()[name];
            var files = entry.GetProperty("outputs").EnumerateArray().Select(o => o.GetString()!).ToList();
            var isVideo = name == DemoRunFixture.Video;
            Assert.Equal(isVideo ? 4 : 3, files.Count);
            Assert.Equal(isVideo ? 1 : 0, entry.GetProperty("scoredVideo").GetArrayLength());
            Assert.All(files, f => Assert.True(File.Exists(Path.Combine(run.OutFolder, f)), $"{f} is listed for {name} but missing"));

            var wav = WavReader.Decode(await File.ReadAllBytesAsync(Path.Combine(run.OutFolder, entry.GetProperty("wav")[0].GetString()!)));
            Assert.Equal(22050, wav.SampleRate);
            Assert.Equal(isVideo ? 4 * 22050 : 217088, wav.Samples.Length); // the 4 s video's length; a picture's one window
            Assert.Contains($"job={entry.GetProperty("jobId").GetString()}", wav.Info["ICMT"], StringComparison.Ordinal);
            var frame = await File.ReadAllBytesAsync(Path.Combine(run.OutFolder, entry.GetProperty("frame").GetString()!));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], frame[..4]);
        }
    }

    [Fact]
    public void Failed_entries_have_no_outputs_and_the_hostile_name_stays_inside_the_output_folder()
    {
        var entries = Entries();
        Assert.Empty(entries[DemoRunFixture.Corrupt].GetProperty("outputs").EnumerateArray());
        Assert.Empty(entries[DemoRunFixture.RefusedName].GetProperty("outputs").EnumerateArray());
        var everything = Directory.EnumerateFiles(run.OutFolder, "*", SearchOption.AllDirectories).ToList();
        Assert.All(everything, f => Assert.StartsWith(run.OutFolder + Path.DirectorySeparatorChar, Path.GetFullPath(f), StringComparison.Ordinal));
        Assert.DoesNotContain(everything, f => Path.GetFileName(f) == "pwned" || f.Contains('$', StringComparison.Ordinal) || f.Contains('\'', StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(Environment.CurrentDirectory, "pwned")), "the name reached a shell");
    }

    private Dictionary<string, JsonElement> Entries()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(run.OutFolder, "summary.json")));
        return document.RootElement.GetProperty("entries").EnumerateArray()
            .ToDictionary(e => e.GetProperty("input").GetString()!, e => e.Clone(), StringComparer.Ordinal);
    }
}
