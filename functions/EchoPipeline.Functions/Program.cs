using EchoPipeline.Functions.Hosting;

var builder = WebApplication.CreateSlimBuilder(args);
builder.AddEchoFunctions();

var app = builder.Build();
app.MapEchoFunctions();
app.Run();
