using Azure.Storage.Blobs.Models;

namespace EchoPipeline.Jobs.Storage;

/// <summary>Upload options the stages share: every blob we write states its content type.</summary>
public static class BlobUpload
{
    public static BlobUploadOptions As(string contentType, BlobRequestConditions? conditions = null, IDictionary<string, string>? metadata = null) => new()
    {
        HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
        Conditions = conditions,
        Metadata = metadata,
    };
}
