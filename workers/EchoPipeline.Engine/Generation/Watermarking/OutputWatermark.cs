using System.Runtime.InteropServices;
using System.Security.Cryptography;
using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Engine.Generation.Watermarking;

/// <summary>
/// The engine's decision for one loaded model and policy, made once: mark every waveform with the policy's key, or
/// stamp it as unmarked naming who turned the mark off (the deployment wins when both did).
/// </summary>
internal sealed class OutputWatermark
{
    private readonly WatermarkKey _key;
    private readonly WatermarkStamp? _off;
    private readonly int _threads;

    public OutputWatermark(EchoModel model, WatermarkPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(policy);
        _key = policy.Key;
        _threads = model.CpuThreads;
        _off = !policy.Enabled ? WatermarkStamp.Off(WatermarkStamp.DisabledByDeployment)
            : !model.Watermark.Enabled ? WatermarkStamp.Off(WatermarkStamp.DisabledByBundle)
            : null;
        if (_off is null && model.Mel.SampleRate != WatermarkScheme.SampleRate)
        {
            throw new ArgumentException(
                $"Bundle '{model.BundleId}' outputs {model.Mel.SampleRate} Hz; the watermark {WatermarkScheme.Name} is defined at {WatermarkScheme.SampleRate} Hz. " +
                "Turn it off for this bundle (bundle.json \"watermark\": {\"enabled\": false, \"reason\": ...}) or for the deployment.", nameof(model));
        }
    }

    public bool Applies => _off is null;

    /// <summary>
    /// Marks <paramref name="waveform"/> in place with the request's payload (see <see cref="PayloadFor"/>); returns the
    /// stamp for its provenance (the "off" stamp, untouched samples, when the mark is turned off).
    /// </summary>
    public WatermarkStamp Apply(float[] waveform, EchoRequest request, GenerationProvenance provenance)
    {
        ArgumentNullException.ThrowIfNull(waveform);
        return _off ?? WatermarkStamp.From(WatermarkEmbedder.Embed(waveform, waveform, _key, PayloadFor(request, provenance), _threads));
    }

    /// <summary>
    /// The request's payload, or one derived from the output's provenance and the SHA-256 of its guide (image or clip),
    /// so the same request gets the same payload and different pictures scored with the same seed get different ones.
    /// </summary>
    public static WatermarkPayload PayloadFor(EchoRequest request, GenerationProvenance provenance)
    {
        if (request.WatermarkPayload is { } payload)
        {
            return payload;
        }

        using var guide = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        guide.AppendData(request.Image ?? []);
        guide.AppendData(MemoryMarshal.AsBytes((request.Audio ?? []).AsSpan()));
        return WatermarkPayload.FromText($"{provenance with { Watermark = null }} guide_sha256={Convert.ToHexStringLower(guide.GetHashAndReset())}");
    }
}
