namespace EchoPipeline.Functions.CustomHandler;

/// <summary>Binding names used in the function.json files; the handler reads Data and writes Outputs by these keys.</summary>
public static class BindingNames
{
    public const string HttpRequest = "req";
    public const string HttpResponse = "res";
    public const string EventGridEvent = "eventGridEvent";
}
