namespace EchoPipeline.Engine.Bundles;

/// <summary>A bundle could not be loaded; the message names the file and the mismatch.</summary>
public sealed class BundleLoadException : Exception
{
    public BundleLoadException()
    {
    }

    public BundleLoadException(string message)
        : base(message)
    {
    }

    public BundleLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BundleLoadException(string filePath, string message, Exception? innerException = null)
        : base($"{filePath}: {message}", innerException)
    {
        FilePath = filePath;
    }

    /// <summary>The file at fault (the manifest or an ONNX component), when there is one.</summary>
    public string? FilePath { get; }
}
