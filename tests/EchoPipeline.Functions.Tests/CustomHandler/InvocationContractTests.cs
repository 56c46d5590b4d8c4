using System.Net;
using System.Text.Json;
using EchoPipeline.Functions.CustomHandler;
using EchoPipeline.Functions.Tests.Support;

namespace EchoPipeline.Functions.Tests.CustomHandler;

[Collection(PipelineTests.Name)]
public class InvocationContractTests(PipelineFixture fixture)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task The_readiness_ping_is_answered() =>
        Assert.Equal(HttpStatusCode.OK, (await fixture.Handler.Client.GetAsync("/")).StatusCode);

    [Fact]
    public async Task An_unknown_function_is_404() =>
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Handler.Client.PostAsync("/Nope", new StringContent("{}"))).StatusCode);

    [Fact]
    public async Task A_body_that_is_not_a_payload_is_400_to_the_host() =>
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Handler.Client.PostAsync("/GetJob", new StringContent("{\"Data\": 5"))).StatusCode);

    [Fact]
    public async Task The_reply_uses_the_documented_payload_keys()
    {
        var call = new HttpTriggerCall("GET", "http://localhost:7071/api/jobs/x") { Params = { ["id"] = "x" } };
        var (_, reply) = await fixture.Handler.InvokeAsync("GetJob", HostPayloads.HttpTrigger(call));

        Assert.Equal(["Outputs", "Logs"], reply.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["statusCode", "body", "headers"], reply.GetProperty("Outputs").GetProperty("res").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Req_is_read_with_query_as_an_object_or_as_a_json_string_and_headers_as_arrays()
    {
        const string json = """
            {"Data": {"req": {"Url": "http://localhost:7071/api/jobs?a=1", "Method": "post", "Query": "{\"a\":\"1\"}",
              "Headers": {"Content-Type": ["application/json"], "X-One": "single"}, "Params": {}, "Identities": [], "Body": {"k": 1}}},
             "Metadata": {}}
            """;
        var request = JsonSerializer.Deserialize<InvocationRequest>(json, Web)!;

        var req = HttpTriggerRequest.From(request);

        Assert.Equal(("POST", "1"), (req.Method, req.Query["a"]));
        Assert.Equal("application/json", req.Header("content-type"));
        Assert.Equal("single", req.Header("X-One"));
        Assert.Equal("""{"k": 1}""", req.Body);
    }
}
