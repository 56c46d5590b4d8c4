using Azure;

namespace EchoPipeline.Cli.LocalPipeline;

/// <summary>
/// Storage that cannot be reached at all (Azure.Core gives up after its retries with an AggregateException of
/// status-0 failures): one line for the person, rather than four stack traces.
/// </summary>
internal static class StorageErrors
{
    public static bool IsUnreachable(Exception e) => e switch
    {
        RequestFailedException { Status: 0 } => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsUnreachable),
        _ => false,
    };

    public static LocalPipelineException Unreachable(Exception e)
    {
        var first = e is AggregateException aggregate ? aggregate.InnerExceptions[0] : e;
        return new LocalPipelineException(
            $"cannot reach the storage account ({first.Message}): check the endpoint or connection string, and that the account (or Azurite) is running.",
            ExitCodes.EnvironmentMissing);
    }
}
