using Microsoft.Extensions.Options;

namespace EchoPipeline.Ingest;

/// <summary>Checks <see cref="IngestOptions"/>' ranges at start-up, generated at build time.</summary>
[OptionsValidator]
public sealed partial class IngestOptionsValidator : IValidateOptions<IngestOptions>;
