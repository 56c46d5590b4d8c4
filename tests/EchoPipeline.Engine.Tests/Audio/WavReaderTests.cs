using System.Diagnostics;
using System.Text;
using System.Text.Json;
using EchoPipeline.Engine.Audio;

namespace EchoPipeline.Engine.Tests.Audio;

public sealed class WavReaderTests
{
    [Fact]
    public void Round_trips_samples_within_one_step_with_rate_and_info()
    {
        var random = new Random(3);
        var samples = Enumerable.Range(0, 20001).Select(_ => (float)((random.NextDouble() * 2) - 1)).Append(1f).Append(-1f).ToArray();
        KeyValuePair<string, string>[] info = [new("ICMT", """{"model":"visual-echoes","é":1}"""), new("ISFT", "echopipe")];
        using var stream = new MemoryStream();
        WavWriter.Write(stream, samples, 16000, info);
        stream.Position = 0;

        var wav = WavReader.Read(stream);

        Assert.Equal(16000, wav.SampleRate);
        Assert.Equal(samples.Length, wav.Samples.Length);
        var worst = samples.Zip(wav.Samples, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= 1f / 32768, $"max error {worst}");
        Assert.Equal(1f, wav.Samples[^2]);
        Assert.Equal(-1f, wav.Samples[^1]);
        Assert.Equal(info.ToDictionary(), wav.Info);
    }

    [Fact]
    public void Skips_unknown_chunks_and_their_pad_byte()
    {
        var wav = WavWriter.Encode([0.25f], 22050).ToList();
        byte[] junk = [.. "junk"u8, 3, 0, 0, 0, 1, 2, 3, 0];
        wav.InsertRange(36, junk);
        var bytes = wav.ToArray();
        BitConverter.GetBytes(bytes.Length - 8).CopyTo(bytes, 4);

        var read = WavReader.Decode(bytes);

        Assert.Equal([8192f / 32767], read.Samples);   // round(0.25 * 32767) = 8192
        Assert.Empty(read.Info);
    }

    [Fact]
    public void Names_what_is_wrong_with_a_bad_file()
    {
        var good = WavWriter.Encode(new float[100], 22050);
        Assert.Contains("RIFF", Assert.Throws<InvalidDataException>(() => WavReader.Decode(Encoding.ASCII.GetBytes("hello, not audio"))).Message,
            StringComparison.Ordinal);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => WavReader.Decode(good.AsSpan(0, 100))).Message,
            StringComparison.Ordinal);

        var stereo = (byte[])good.Clone();
        stereo[22] = 2;
        Assert.Contains("2 channel(s)", Assert.Throws<InvalidDataException>(() => WavReader.Decode(stereo)).Message, StringComparison.Ordinal);

        var overlong = (byte[])good.Clone();
        BitConverter.GetBytes(1000).CopyTo(overlong, 40);   // data chunk claims more than the file holds
        Assert.Contains("'data' at byte 36 claims 1000", Assert.Throws<InvalidDataException>(() => WavReader.Decode(overlong)).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Ffprobe_reads_the_format_and_the_info_tags()
    {
        var path = Path.Combine(Path.GetTempPath(), $"echopipe-wav-{Guid.NewGuid():N}.wav");
        try
        {
            File.WriteAllBytes(path, WavWriter.Encode(TestSignals.Tone(440, 0.5, 22050), 22050,
                [new("INAM", "Tone"), new("ICMT", """{"seed":7}""")]));
            var json = Run("ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", path);

            using var doc = JsonDocument.Parse(json);
            var stream = doc.RootElement.GetProperty("streams")[0];
            Assert.Equal("pcm_s16le", stream.GetProperty("codec_name").GetString());
            Assert.Equal("22050", stream.GetProperty("sample_rate").GetString());
            Assert.Equal(1, stream.GetProperty("channels").GetInt32());
            var tags = doc.RootElement.GetProperty("format").GetProperty("tags");
            Assert.Equal("Tone", tags.GetProperty("title").GetString());
            Assert.Equal("""{"seed":7}""", tags.GetProperty("comment").GetString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        args.ToList().ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} failed: {stderr}");
        return stdout;
    }
}
