using Microsoft.Extensions.Options;

namespace EchoPipeline.Jobs.Storage;

/// <summary>Checks <see cref="EchoStorageOptions"/> at start-up (ranges and the connection/endpoint rule), generated at build time.</summary>
[OptionsValidator]
public sealed partial class EchoStorageOptionsValidator : IValidateOptions<EchoStorageOptions>;
