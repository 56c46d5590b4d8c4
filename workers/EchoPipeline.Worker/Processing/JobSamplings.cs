using System.Globalization;
using EchoPipeline.Engine.Bundles;
using EchoPipeline.Jobs;

namespace EchoPipeline.Worker.Processing;

/// <summary>The job record's view of the sampling the engine used (every variation samples alike; only seeds differ).</summary>
internal static class JobSamplings
{
    public static JobSampling? Of(IReadOnlyList<GeneratedAudio> variations)
    {
        if (variations.Count == 0)
        {
            return null;
        }

        var used = variations[0].Provenance;
        // The engine holds s as a float: its shortest text is the value that was asked or configured (0.1, not 0.10000000149).
        var guidance = double.Parse(used.Guidance.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return new JobSampling(ModeDefaults.Key(used.Mode), used.Steps, used.Temperature, guidance);
    }
}
