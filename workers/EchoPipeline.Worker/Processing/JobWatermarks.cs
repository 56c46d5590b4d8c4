using EchoPipeline.Jobs;
using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Worker.Processing;

/// <summary>The job record's view of the variations' watermark stamps.</summary>
internal static class JobWatermarks
{
    public static JobWatermark? Of(IReadOnlyList<GeneratedAudio> variations)
    {
        var stamps = variations.Select(v => v.Provenance.Watermark).OfType<WatermarkStamp>().ToArray();
        if (stamps.Length == 0)
        {
            return null;
        }

        var first = stamps[0];
        return first.Applied
            ? new JobWatermark(true, first.Scheme, first.KeyId, [.. stamps.Select(s => s.Payload?.ToString() ?? "")])
            : new JobWatermark(false, DisabledBy: first.DisabledBy);
    }
}
