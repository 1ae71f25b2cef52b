using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Segel.Testing;

/// <summary>A self-signed certificate with its exportable private key, that signs and encrypts, for CMS tests.</summary>
public static class SelfSignedHolder
{
    /// <summary>RSA-2048 (key transport) or P-256 (key agreement); digitalSignature too, as .NET will not self-sign a key-agreement-only key.</summary>
    public static X509Certificate2 Create(string name, bool rsa)
    {
        using AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = rsa
            ? new CertificateRequest($"CN={name}", (RSA)key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest($"CN={name}", (ECDsa)key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature |
            (rsa ? X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.KeyAgreement), true));
        using X509Certificate2 made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddYears(2));
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12, "x"), "x", X509KeyStorageFlags.Exportable);
    }

    public static AsymmetricAlgorithm KeyOf(X509Certificate2 holder) =>
        (AsymmetricAlgorithm?)holder.GetRSAPrivateKey() ?? holder.GetECDsaPrivateKey() ?? throw new ArgumentException("The certificate has no private key.", nameof(holder));
}
