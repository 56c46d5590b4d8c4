namespace EchoPipeline.LocalServices;

/// <summary>How to start Azurite. Bearer tokens are only accepted over HTTPS, so <see cref="OAuth"/> implies <see cref="Https"/>.</summary>
public sealed record AzuriteOptions
{
    /// <summary>Serve HTTPS with a throwaway self-signed certificate for 127.0.0.1 (see <see cref="AzuriteServer.Certificate"/>).</summary>
    public bool Https { get; init; }

    /// <summary>Accept bearer tokens (Azurite's "--oauth basic": audience, issuer and lifetime are checked, not the signature).</summary>
    public bool OAuth { get; init; }

    /// <summary>How long to wait for the blob, queue and table ports to answer.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
