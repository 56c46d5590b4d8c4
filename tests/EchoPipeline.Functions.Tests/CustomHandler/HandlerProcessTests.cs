using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EchoPipeline.Functions.Tests.Support;
using EchoPipeline.LocalServices;

namespace EchoPipeline.Functions.Tests.CustomHandler;

/// <summary>The executable host.json points at, started as the Functions host starts it: FUNCTIONS_CUSTOMHANDLER_PORT set.</summary>
[Collection(PipelineTests.Name)]
public class HandlerProcessTests(PipelineFixture fixture)
{
    [Fact]
    public async Task The_executable_listens_on_the_port_the_host_gives_and_serves_invocations()
    {
        var output = HandlerOutput.Folder;
        var port = LoopbackPorts.Free(1)[0];
        var start = new ProcessStartInfo(Path.Combine(output, "EchoPipeline.Functions"))
        {
            WorkingDirectory = output,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["EchoStorage"] = fixture.Azurite.ConnectionString,
            },
        };
        using var process = Process.Start(start)!;
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitUntilListeningAsync(client);

            var call = new HttpTriggerCall("GET", "http://localhost:7071/api/jobs/0123456789abcdef0123456789abcdef") { Params = { ["id"] = "0123456789abcdef0123456789abcdef" } };
            using var response = await client.PostAsJsonAsync("/GetJob", HostPayloads.HttpTrigger(call));
            var reply = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("404", reply["Outputs"]!["res"]!["statusCode"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/NoSuchFunction", new StringContent("{}"))).StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task WaitUntilListeningAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var ping = await client.GetAsync("/");
                Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}
