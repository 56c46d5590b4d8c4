using EchoPipeline.Worker.Hosting;

var builder = WebApplication.CreateSlimBuilder(args);
builder.AddEchoWorker();
var app = builder.Build();
app.MapEchoWorkerHealth();
await app.RunAsync();
