using EchoPipeline.Cli;
using Spectre.Console;

if (Console.IsOutputRedirected)
{
    // Pipes and CI logs get plain text: Spectre would otherwise trust TERM and write colour codes into them.
    AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
}

return await CliApp.RunAsync(args);
