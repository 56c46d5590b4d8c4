namespace EchoPipeline.Media;

/// <summary>An input staged in a <see cref="MediaWorkspace"/> under a generated name; only a workspace makes one.</summary>
public sealed class MediaInput
{
    internal MediaInput(MediaWorkspace workspace, string path, string source, long sizeBytes)
    {
        Workspace = workspace;
        Path = path;
        Source = source;
        SizeBytes = sizeBytes;
    }

    /// <summary>What the caller called the input (its own path or a blob name): named in error messages, never given to FFmpeg.</summary>
    public string Source { get; }

    public long SizeBytes { get; }

    /// <summary>The generated path FFmpeg reads.</summary>
    internal string Path { get; }

    internal MediaWorkspace Workspace { get; }
}
