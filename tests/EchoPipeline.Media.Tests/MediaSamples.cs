using System.Diagnostics;

namespace EchoPipeline.Media.Tests;

/// <summary>
/// Generates test inputs with the ffmpeg CLI directly (not through the library under test) in a
/// temporary folder that is deleted afterwards.
/// </summary>
public sealed class MediaSamples : IDisposable
{
    public MediaSamples()
    {
        Directory = Path.Combine(Path.GetTempPath(), "echopipeline-media-tests-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public static MediaOptions Options => new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>The media boundary with <see cref="Options"/>, changed by <paramref name="configure"/>.</summary>
    public static MediaTools Tools(Action<MediaOptions>? configure = null)
    {
        var options = Options;
        configure?.Invoke(options);
        return new MediaTools(options);
    }

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>Runs <c>ffmpeg -y {arguments} {output}</c> once and returns the output's path.</summary>
    public string Make(string name, params string[] arguments)
    {
        var path = PathOf(name);
        if (!File.Exists(path))
        {
            Ffmpeg([.. arguments, "file:" + path]);
        }

        return path;
    }

    /// <summary>A solid-colour lavfi source, e.g. <c>Color("red", 320, 240, 1)</c>.</summary>
    public static string Color(string color, int width, int height, double seconds = 1, int rate = 25) =>
        $"color=c={color}:s={width}x{height}:r={rate}:d={seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>Decodes any image or the first frame of a video to rgb24 at its own size.</summary>
    public static byte[] DecodeRgb24(string path) =>
        Ffmpeg(["-i", "file:" + path, "-frames:v", "1", "-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1"]);

    public static byte[] Ffmpeg(IEnumerable<string> arguments) => Run("ffmpeg", ["-nostdin", "-v", "error", "-y", .. arguments]);

    public static byte[] Ffprobe(IEnumerable<string> arguments) => Run("ffprobe", arguments);

    private static byte[] Run(string tool, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        using var output = new MemoryStream();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"test setup: {tool} {string.Join(' ', startInfo.ArgumentList)} failed: {stderr.Result}");
        return output.ToArray();
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
