using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EchoPipeline.Provenance.Dsp;

namespace EchoPipeline.Provenance.Watermarking;

/// <summary>
/// The keyed sequences of one secret: a pilot and one sequence per payload symbol, each <see cref="WatermarkScheme.Period"/>
/// samples of band-limited noise with a flat magnitude spectrum and phases drawn from AES-256 in counter mode, the AES
/// key being HMAC-SHA256(secret, purpose). Without the secret the phases cannot be predicted, so neither can the mark
/// be found nor forged; with it, everything here follows from the secret alone. Build once and reuse (about 10 ms).
/// </summary>
public sealed class WatermarkKey
{
    /// <summary>
    /// The key local runs use when no secret is configured. It is public (it is printed here and in
    /// docs/provenance.md): marks made with it prove nothing against someone who wants to remove or forge them.
    /// </summary>
    public const string PublicDefaultSecret = "EchoPipeline public watermark key v1 - local development only, not a secret";

    private const string Label = "echopipe/watermark/v1/";

    private static readonly ComplexFft PeriodFft = new(WatermarkScheme.Period);

    private static readonly Lazy<WatermarkKey> LazyPublicDefault = new(() => FromSecret(PublicDefaultSecret));

    private WatermarkKey(string id, bool isPublicDefault, KeyedSequence[] sequences)
    {
        Id = id;
        IsPublicDefault = isPublicDefault;
        Sequences = sequences;
    }

    public static WatermarkKey PublicDefault => LazyPublicDefault.Value;

    /// <summary>8 hex digits of HMAC-SHA256(secret, "key-id"): names the key in records and reports without revealing it.</summary>
    public string Id { get; }

    public bool IsPublicDefault { get; }

    /// <summary>[0] the pilot, [1..Symbols] the payload symbols' sequences.</summary>
    internal KeyedSequence[] Sequences { get; }

    internal KeyedSequence Pilot => Sequences[0];

    public static WatermarkKey FromSecret(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var secretBytes = Encoding.UTF8.GetBytes(secret);
        var id = Convert.ToHexStringLower(HMACSHA256.HashData(secretBytes, Encoding.UTF8.GetBytes(Label + "key-id")).AsSpan(0, 4));
        var sequences = new KeyedSequence[1 + WatermarkScheme.Symbols];
        var fft = PeriodFft;
        for (var i = 0; i < sequences.Length; i++)
        {
            var aesKey = HMACSHA256.HashData(secretBytes, Encoding.UTF8.GetBytes(Label + (i == 0 ? "pilot" : $"symbol-{i - 1}")));
            sequences[i] = KeyedSequence.Create(aesKey, fft);
        }

        return new WatermarkKey(id, secret == PublicDefaultSecret, sequences);
    }

    public override string ToString() => IsPublicDefault ? $"{Id} (public default key)" : Id;
}

/// <summary>One keyed sequence: its samples over one period (unit variance) and its band bins' unit phasors.</summary>
internal sealed class KeyedSequence
{
    private KeyedSequence(double[] samples, double[] phaseCos, double[] phaseSin)
    {
        Samples = samples;
        PhaseCos = phaseCos;
        PhaseSin = phaseSin;
    }

    /// <summary>
    /// The DFT of <see cref="Samples"/> is <see cref="Gain"/> e^{i phi_k} on band bins k (conjugate on the mirror bins)
    /// and zero elsewhere; this gain makes the samples' variance exactly one.
    /// </summary>
    public static double Gain { get; } = WatermarkScheme.Period / Math.Sqrt(2.0 * WatermarkScheme.PeriodBandBins);

    public double[] Samples { get; }

    /// <summary>cos phi_k and sin phi_k for band bin k = PeriodBandLow + index.</summary>
    public double[] PhaseCos { get; }

    /// <inheritdoc cref="PhaseCos"/>
    public double[] PhaseSin { get; }

    public static KeyedSequence Create(byte[] aesKey, ComplexFft fft)
    {
        var count = WatermarkScheme.PeriodBandBins;
        var stream = KeyStream(aesKey, (count * sizeof(ulong) + 15) / 16);
        var (phaseCos, phaseSin) = (new double[count], new double[count]);
        var (re, im) = (new double[WatermarkScheme.Period], new double[WatermarkScheme.Period]);
        for (var j = 0; j < count; j++)
        {
            // 53 uniform bits -> a phase in [0, 2 pi).
            var phase = 2 * Math.PI * ((BinaryPrimitives.ReadUInt64LittleEndian(stream.AsSpan(j * sizeof(ulong))) >> 11) * (1.0 / (1UL << 53)));
            (phaseSin[j], phaseCos[j]) = Math.SinCos(phase);
            var k = WatermarkScheme.PeriodBandLow + j;
            (re[k], im[k]) = (Gain * phaseCos[j], Gain * phaseSin[j]);
            (re[WatermarkScheme.Period - k], im[WatermarkScheme.Period - k]) = (Gain * phaseCos[j], -Gain * phaseSin[j]);
        }

        fft.InverseNormalized(re, im);
        return new KeyedSequence(re, phaseCos, phaseSin);
    }

    /// <summary>AES-256 in counter mode: block j encrypts the 16-byte little-endian counter j.</summary>
    private static byte[] KeyStream(byte[] aesKey, int blocks)
    {
        var counters = new byte[blocks * 16];
        for (var j = 0; j < blocks; j++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(counters.AsSpan(j * 16), (ulong)j);
        }

        using var aes = Aes.Create();
        aes.Key = aesKey;
        return aes.EncryptEcb(counters, PaddingMode.None);
    }
}
