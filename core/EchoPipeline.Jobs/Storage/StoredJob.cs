using Azure;

namespace EchoPipeline.Jobs.Storage;

/// <summary>A job record and the ETag of the blob it was read from, for the next If-Match update.</summary>
public sealed record StoredJob(JobRecord Record, ETag ETag);
