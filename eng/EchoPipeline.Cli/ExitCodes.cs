namespace EchoPipeline.Cli;

/// <summary>The CLI's documented exit codes (README, "Exit codes").</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int SomeInputsFailed = 1;
    public const int UsageError = 2;
    public const int EnvironmentMissing = 3;
    public const int BadBundle = 4;
    public const int Cancelled = 130;
}
