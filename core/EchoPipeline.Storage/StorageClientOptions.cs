using Azure.Core;
using EchoPipeline.Storage.Queues;

namespace EchoPipeline.Storage;

/// <summary>Options for the Blob and Queue clients: the Azure.Core pipeline (retry, diagnostics, transport) plus storage settings.</summary>
public sealed class StorageClientOptions : ClientOptions
{
    public StorageClientOptions()
    {
        // Azure.Core redacts unlisted headers and query parameters in its logs; these carry no secrets and explain a request.
        foreach (var header in (string[])["x-ms-request-id", "x-ms-version", "x-ms-error-code", "x-ms-blob-type", "x-ms-approximate-messages-count", "x-ms-time-next-visible"])
        {
            Diagnostics.LoggedHeaderNames.Add(header);
        }

        foreach (var parameter in (string[])["comp", "restype", "prefix", "maxresults", "include", "numofmessages", "visibilitytimeout", "messagettl", "peekonly"])
        {
            Diagnostics.LoggedQueryParameters.Add(parameter);
        }
    }

    /// <summary>The storage REST version sent as x-ms-version (Azurite 3.35 accepts up to 2025-11-05).</summary>
    public string ServiceVersion { get; set; } = "2025-01-05";

    /// <summary>How queue message bodies are written and read. Azure Functions queue triggers expect <see cref="QueueMessageEncoding.Base64"/>.</summary>
    public QueueMessageEncoding MessageEncoding { get; set; } = QueueMessageEncoding.None;

    /// <summary>Uploads of a seekable stream up to this many bytes use one Put Blob request; larger or unseekable ones use blocks.</summary>
    public long SingleUploadThreshold { get; set; } = 8 * 1024 * 1024;

    /// <summary>Size of each block staged with Put Block.</summary>
    public int BlockSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>How many blocks of one upload are sent at once (each holds a buffer of <see cref="BlockSize"/> bytes).</summary>
    public int MaxUploadConcurrency { get; set; } = 4;

    /// <summary>Clock used to stamp x-ms-date; replaceable in tests.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (BlockSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(BlockSize), BlockSize, "BlockSize must be positive.");
        }

        if (SingleUploadThreshold < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SingleUploadThreshold), SingleUploadThreshold, "SingleUploadThreshold must not be negative.");
        }

        if (MaxUploadConcurrency <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxUploadConcurrency), MaxUploadConcurrency, "MaxUploadConcurrency must be positive.");
        }
    }
}
