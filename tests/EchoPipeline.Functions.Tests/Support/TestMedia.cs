using System.Diagnostics;

namespace EchoPipeline.Functions.Tests.Support;

/// <summary>Inputs made by ffmpeg from lavfi sources, once per test run, in a temp folder.</summary>
public sealed class TestMedia : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("echo-functions-media-").FullName;

    /// <summary>A 4 s 320x240 H.264 clip.</summary>
    public string ShortClip => Make("short.mp4", ["-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=4", "-c:v", "libx264", "-pix_fmt", "yuv420p"]);

    /// <summary>25 s in three colours (red 0-10 s, green 10-20 s, blue 20-25 s): three segments, one colour each.</summary>
    public string ThreeColours => Make("colours.mp4",
    [
        "-f", "lavfi", "-i", "color=c=red:s=320x240:r=10:d=10",
        "-f", "lavfi", "-i", "color=c=green:s=320x240:r=10:d=10",
        "-f", "lavfi", "-i", "color=c=blue:s=320x240:r=10:d=5",
        "-filter_complex", "[0:v][1:v][2:v]concat=n=3:v=1:a=0", "-c:v", "libx264", "-pix_fmt", "yuv420p",
    ]);

    /// <summary>A 640x480 PNG still.</summary>
    public string Still => Make("still.png", ["-f", "lavfi", "-i", "testsrc2=s=640x480", "-frames:v", "1"]);

    /// <summary>A 400x300 JPEG still (4:2:0).</summary>
    public string StillJpeg => Make("still.jpg", ["-f", "lavfi", "-i", "testsrc2=s=400x300", "-frames:v", "1", "-q:v", "2"]);

    /// <summary>A clip cut to its first third: the index (faststart) says 6 s, the frames stop early.</summary>
    public string Truncated
    {
        get
        {
            var path = Path.Combine(_folder, "truncated.mp4");
            if (!File.Exists(path))
            {
                var full = Make("faststart.mp4", ["-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=6", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart"]);
                var bytes = File.ReadAllBytes(full);
                File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
            }

            return path;
        }
    }

    /// <summary>Sound and no picture.</summary>
    public string AudioOnly => Make("audio.m4a", ["-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-c:a", "aac"]);

    /// <summary>A 2 x 1200 video: too elongated for a meaningful centre square.</summary>
    public string Sliver => Make("sliver.mp4", ["-f", "lavfi", "-i", "color=c=white:s=2x1200:r=5:d=1", "-c:v", "mpeg4"]);

    /// <summary>Two hours at one frame a minute: long, yet tiny.</summary>
    public string TwoHours => Make("twohours.mkv", ["-f", "lavfi", "-i", "color=c=gray:s=64x64:r=1/60:d=7200", "-c:v", "mpeg4", "-g", "1"]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Make(string name, string[] arguments)
    {
        var path = Path.Combine(_folder, name);
        lock (_folder)
        {
            if (File.Exists(path))
            {
                return path;
            }

            var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in (string[])["-v", "error", "-y", .. arguments, path])
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"ffmpeg could not make {name}: {stderr.Result}");
            }

            return path;
        }
    }
}
