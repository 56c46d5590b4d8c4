namespace EchoPipeline.Ingest;

/// <summary>A private folder for one ingest; the input is staged under a fixed name, never the blob's name.</summary>
internal sealed class WorkDirectory : IDisposable
{
    private WorkDirectory(string path) => Path = path;

    public string Path { get; }

    public string SourceFile => System.IO.Path.Combine(Path, "source");

    public static WorkDirectory Create(string? root)
    {
        var path = System.IO.Path.Combine(root ?? System.IO.Path.GetTempPath(), "echo-ingest", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return new WorkDirectory(path);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; failing the job over it is not.
        }
    }
}
