namespace EchoPipeline.Engine.Generation.Continuation;

/// <summary>
/// One window of a soundtrack: its guide frame (rgb24), where it starts in the soundtrack (samples), and whether it
/// starts a shot (generated afresh, crossfaded in at the cut) or continues the previous window (its first columns fixed
/// to the previous window's tokens; it must start a whole number of token columns, 1..52, after that one).
/// </summary>
public sealed record SoundtrackWindow(byte[] Image, long StartSample, bool StartsShot);
