using EchoPipeline.Cli;

return await CliApp.RunAsync(args);
