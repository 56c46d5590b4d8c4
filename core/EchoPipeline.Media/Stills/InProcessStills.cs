using Microsoft.Extensions.Logging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace EchoPipeline.Media;

/// <summary>
/// Still PNGs and JPEGs read in this process with ImageSharp instead of an ffprobe and an ffmpeg process each (about
/// 1.2 s of process start-up and decoding per picture on the 2-core development machine, docs/performance.md).
/// Only files <see cref="StillFormat.Recognise"/> finds to be exactly one such picture get here; ImageSharp's
/// configuration knows PNG and JPEG alone, so its other decoders (GIF, TIFF, ... which had advisories in 2.x) cannot
/// be reached. The declared size is checked against <see cref="Limits"/> before a pixel is decoded, and the frame is
/// the one the FFmpeg path makes: the exact centre square (where FFmpeg's crop would round it, to its chroma grid),
/// then the same resize (<see cref="PngImages.ScaleSquare"/>). Anything this path does not take, or that ImageSharp
/// fails on, returns null and goes to FFmpeg unchanged, so FFmpeg's verdict (and error code) stays the one for every
/// file that is not a plain PNG or JPEG. A decode in process cannot be killed as an FFmpeg run past
/// <see cref="MediaOptions.Timeout"/> is: its cost is bounded by <see cref="MediaOptions.MaxPixels"/> instead (the
/// workspace's per-job limit is still checked before it starts).
/// </summary>
internal sealed class InProcessStills
{
    /// <summary>Larger files go to FFmpeg, which streams them rather than holding them in memory.</summary>
    private const int MaxFileBytes = 128 * 1024 * 1024;

    private readonly MediaOptions _options;
    private readonly ILogger _logger;
    private readonly Configuration _configuration;

    public InProcessStills(MediaOptions options, ILogger logger)
    {
        (_options, _logger) = (options, logger);
        // The limit is per buffer: an 8-byte-per-pixel buffer of MaxPixels is more than any decoder step of an
        // accepted size needs, and a buffer past it fails (and goes to FFmpeg) instead of being allocated.
        var limitMegabytes = (int)Math.Min(int.MaxValue, (options.MaxPixels * 8 / (1024 * 1024)) + 1);
        _configuration = new Configuration(new PngConfigurationModule(), new JpegConfigurationModule())
        {
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { AllocationLimitMegabytes = limitMegabytes }),
        };
    }

    /// <summary>
    /// The probe's facts and the 256x256 frame of a plain PNG or JPEG, or null when FFmpeg should read the input.
    /// </summary>
    /// <exception cref="MediaException">The picture's declared size is over a limit (<see cref="Limits.Check"/>), checked before decoding.</exception>
    public MediaInfo? TryRead(MediaInput input, CancellationToken cancellationToken)
    {
        // Past the workspace's per-job limit FFmpeg's path refuses the run with its timeout code; so it does here.
        if (!_options.DecodeStillsInProcess || input.SizeBytes > MaxFileBytes || input.Workspace.Deadline.IsCancellationRequested)
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        byte[] file;
        try
        {
            file = File.ReadAllBytes(input.Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // ffprobe reports a file it cannot read with its own code
        }

        if (StillFormat.Recognise(file) is not { } format)
        {
            return null;
        }

        try
        {
            return Read(input, file, format);
        }
        catch (Exception ex) when (ex is not (MediaException or OperationCanceledException))
        {
            // ImageFormatException, InvalidImageContentException, InvalidMemoryOperationException, or whatever else a
            // hostile file makes of a decoder: FFmpeg reads the file as it did before this path existed.
            MediaLog.StillHandedToFfmpeg(_logger, input.Source, ex.GetType().Name, ex.Message);
            return null;
        }
    }

    private MediaInfo? Read(MediaInput input, byte[] file, StillFormat format)
    {
        using var header = new MemoryStream(file, writable: false);
        var declared = Image.Identify(_configuration, header);
        if (declared is null || !TakenInProcess(declared, format, out var chroma))
        {
            return null;
        }

        // ffprobe's facts for the same file: stream 0, its codec name, the stored size, no frame count, rate or rotation.
        var video = new VideoStreamInfo(0, format.Codec, declared.Width, declared.Height, null, null, 0);
        Limits.Check(new MediaInfo(input, format.ContainerFormat, null, video, hasAudio: false, isStillImage: true), _options);
        if (format == StillFormat.Png && !PngStructure.PixelsInflateCompletely(file))
        {
            return null;
        }

        using var image = Image.Load<Rgb24>(_configuration, file);
        if (image.Width != declared.Width || image.Height != declared.Height)
        {
            return null;
        }

        var side = Math.Min(image.Width, image.Height);
        var x = ((image.Width - side) / 2) & ~(chroma.Width - 1);
        var y = ((image.Height - side) / 2) & ~(chroma.Height - 1);
        image.Mutate(c => c.Crop(new Rectangle(x, y, side, side)));
        var frame = new Frame(PngImages.ScaleSquare(image, Frame.Size), TimeSpan.Zero);
        return new MediaInfo(input, format.ContainerFormat, null, video, hasAudio: false, isStillImage: true, stillFrame: frame);
    }

    /// <summary>
    /// Whether the picture's frame is made here: not when its EXIF orientation asks for a turn or a mirror (FFmpeg's
    /// autorotate applies what it supports; FFmpeg keeps deciding that), nor for JPEGs in CMYK, YCCK or RGB, whose
    /// colour conversion FFmpeg does its own way. <paramref name="chroma"/> is the JPEG's chroma subsampling, the grid
    /// FFmpeg's crop filter rounds the square's corner to.
    /// </summary>
    private static bool TakenInProcess(IImageInfo declared, StillFormat format, out Size chroma)
    {
        chroma = new Size(1, 1);
        if (declared.Metadata.ExifProfile?.GetValue(ExifTag.Orientation) is { } orientation && orientation.Value != 1)
        {
            return false;
        }

        if (format != StillFormat.Jpeg)
        {
            return true;
        }

        (var taken, chroma) = declared.Metadata.GetJpegMetadata().ColorType switch
        {
            JpegColorType.Luminance or JpegColorType.YCbCrRatio444 => (true, new Size(1, 1)),
            JpegColorType.YCbCrRatio422 => (true, new Size(2, 1)),
            JpegColorType.YCbCrRatio420 => (true, new Size(2, 2)),
            JpegColorType.YCbCrRatio411 => (true, new Size(4, 1)),
            JpegColorType.YCbCrRatio410 => (true, new Size(4, 2)),
            _ => (false, new Size(1, 1)),
        };
        return taken;
    }
}
