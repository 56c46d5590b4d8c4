namespace EchoPipeline.Media;

/// <summary>The video stream a frame is taken from.</summary>
/// <param name="Index">The stream's index in its container, as <c>-map 0:Index</c> selects it.</param>
/// <param name="FrameCount">From the container when it says (<c>nb_frames</c>); null when unknown.</param>
/// <param name="Rotation">Display rotation in degrees as ffprobe reports it; FFmpeg applies it when decoding.</param>
public sealed record VideoStreamInfo(int Index, string Codec, int Width, int Height, long? FrameCount, double? FrameRate, int Rotation);
