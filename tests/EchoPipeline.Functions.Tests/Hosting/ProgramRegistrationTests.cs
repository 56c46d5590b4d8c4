using EchoPipeline.Functions.Functions;
using EchoPipeline.Functions.Hosting;
using EchoPipeline.Media;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EchoPipeline.Functions.Tests.Hosting;

/// <summary>
/// The host is built the way Program.cs builds it (not started: there is no Functions host here to talk to) and every
/// function class is activated from it the way the worker activates one per invocation.
/// </summary>
public class ProgramRegistrationTests
{
    private static readonly Dictionary<string, string?> Azurite = new()
    {
        ["EchoStorage"] = "UseDevelopmentStorage=true",
    };

    private static IHost BuildAsProgramDoes(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.ConfigureFunctionsWebApplication();
        builder.AddEchoFunctions();
        return builder.Build();
    }

    public static TheoryData<Type> FunctionClasses => new(typeof(SubmitJobFunction).Assembly.GetTypes()
        .Where(t => t.GetMethods().Any(m => m.GetCustomAttributes(typeof(FunctionAttribute), false).Length > 0)));

    [Theory]
    [MemberData(nameof(FunctionClasses))]
    public void Every_function_class_resolves_from_the_programs_registrations(Type functionClass)
    {
        using var host = BuildAsProgramDoes(Azurite);

        Assert.NotNull(ActivatorUtilities.CreateInstance(host.Services, functionClass));
    }

    [Fact]
    public void There_is_a_function_class_per_function_name() => Assert.Equal(typeof(FunctionNames).GetFields().Length, FunctionClasses.Count);

    [Fact]
    public void Start_up_validation_accepts_the_local_settings()
    {
        using var host = BuildAsProgramDoes(Azurite);

        host.Services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Theory]
    [InlineData("Ingest:Deadline", "00:00:00", "Deadline")]
    [InlineData("Ingest:FrameConcurrency", "0", "FrameConcurrency")]
    [InlineData("Batch:MaxItems", "1001", "MaxItems")]
    [InlineData("Batch:IngestConcurrency", "0", "IngestConcurrency")]
    [InlineData("Ingest:BundleId", "../models", "BundleId")]
    [InlineData("Ingest:BundleId", "", "BundleId")]
    [InlineData("EchoStorage", "", "EchoStorage")]
    [InlineData("VerifyAudio:MaxBytes", "0", "MaxBytes")]
    [InlineData("Watermark:Secret", "too short", "Secret")]
    public void Start_up_validation_names_a_bad_setting(string key, string value, string named)
    {
        using var host = BuildAsProgramDoes(new Dictionary<string, string?>(Azurite) { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Media_options_resolve_to_runnable_tools()
    {
        using var host = BuildAsProgramDoes(Azurite);

        var media = host.Services.GetRequiredService<IOptions<MediaOptions>>().Value;

        Assert.Equal(("ffmpeg", "ffprobe"), (media.FfmpegPath, media.FfprobePath));
    }
}
