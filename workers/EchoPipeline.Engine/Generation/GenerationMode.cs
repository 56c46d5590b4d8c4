namespace EchoPipeline.Engine.Generation;

/// <summary>What a request generates from what (one set of weights does all three, DESIGN §3).</summary>
public enum GenerationMode
{
    /// <summary>Image guides, audio is generated; with known audio tokens this is inpainting/outpainting.</summary>
    ImageToAudio,

    /// <summary>Audio guides, an image is generated (needs the bundle's audio encoder and image decoder).</summary>
    AudioToImage,

    /// <summary>Both generated together from nothing (no guide, so no classifier-free guidance).</summary>
    CoGeneration,
}
