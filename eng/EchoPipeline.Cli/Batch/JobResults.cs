using System.Text.Json;

namespace EchoPipeline.Cli.Batch;

/// <summary>
/// The finished jobs of an output folder: <c>.echopipe-batch/jobs/{jobId}.json</c>, each written whole (temporary file,
/// then rename), after the job's WAVs, so a killed run leaves either a complete result or none.
/// </summary>
internal sealed class JobResults
{
    public const string StateFolder = ".echopipe-batch";
    private readonly string _folder;

    public JobResults(string outFolder)
    {
        _folder = Path.Combine(outFolder, StateFolder, "jobs");
        Directory.CreateDirectory(_folder);
    }

    public JobResult? Find(string jobId)
    {
        var path = PathOf(jobId);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), BatchJsonContext.Default.JobResult);
        }
        catch (JsonException)
        {
            return null; // Damaged by hand: the job runs again and rewrites it.
        }
    }

    public bool Has(string jobId) => File.Exists(PathOf(jobId));

    public void Save(JobResult result)
    {
        var path = PathOf(result.JobId);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(result, BatchJsonContext.Default.JobResult));
        File.Move(temporary, path, overwrite: true);
    }

    private string PathOf(string jobId) => Path.Combine(_folder, jobId + ".json");
}
