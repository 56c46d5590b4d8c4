namespace EchoPipeline.Engine.Generation;

/// <summary>The two token streams the transformer sees, in its token order: audio first, then image.</summary>
public enum Modality
{
    Audio,
    Image,
}
