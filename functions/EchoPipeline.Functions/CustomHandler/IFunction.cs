namespace EchoPipeline.Functions.CustomHandler;

/// <summary>One function of the app; <see cref="Name"/> is its folder name and the path the host POSTs to.</summary>
public interface IFunction
{
    string Name { get; }

    Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken);
}
