using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Segel.Testing;

/// <summary>Holder-side CSRs, made the way a holder's own software would.</summary>
public static class Csr
{
    public static byte[] Create(string cn = "Budi Santoso", string? email = "budi@tanahbumbukab.go.id", Action<CertificateRequest>? extra = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={cn}, OU=Dinas Kominfo", key, HashAlgorithmName.SHA256);
        if (email is not null)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddEmailAddress(email);
            request.CertificateExtensions.Add(san.Build());
        }
        extra?.Invoke(request);
        return Encoding.ASCII.GetBytes(request.CreateSigningRequestPem());
    }
}
