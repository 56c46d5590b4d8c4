using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EchoPipeline.LocalServices;

/// <summary>A self-signed certificate for 127.0.0.1/localhost, written as the PEM pair Azurite's --cert/--key expect.</summary>
internal static class AzuriteCertificate
{
    public static X509Certificate2 Create(string folder, out string certificatePath, out string keyPath)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        certificatePath = Path.Combine(folder, "azurite-cert.pem");
        keyPath = Path.Combine(folder, "azurite-key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return X509CertificateLoader.LoadCertificate(certificate.RawData);
    }
}
