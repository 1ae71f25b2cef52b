using System.Security.Cryptography.X509Certificates;
using Segel.Pki.Keys;

namespace Segel.Core.Ca;

/// <summary>
/// The key of an outside CA above Segel's issuing CA (the national root): Segel knows its certificate and never its
/// key. Every path that signs skips such an authority; this refuses plainly if one ever does not.
/// </summary>
internal sealed class OutsideKey(string slug, X509Certificate2 certificate) : ISigningKey
{
    public string Uri => "outside:" + slug;

    public KeyAlgorithm Algorithm => KeyAlgorithms.Identify(certificate.PublicKey) ?? KeyAlgorithm.Rsa4096;

    public PublicKey PublicKey => certificate.PublicKey;

    public byte[] SignData(ReadOnlySpan<byte> data) =>
        throw new InvalidOperationException($"{slug} is an outside CA; its key is not Segel's, so Segel cannot sign with it.");

    public void Dispose()
    {
    }

    /// <summary>The record of an outside CA: its certificate, no key (<see cref="Storage.AuthorityRecord.OutsideKeyUri"/>).</summary>
    public static Storage.AuthorityRecord Record(string slug, Storage.AuthorityRole role, int? parentId, X509Certificate2 certificate, DateTimeOffset now) => new()
    {
        Slug = slug,
        Role = role,
        ParentId = parentId,
        CertificateDer = certificate.RawData,
        KeyUri = Storage.AuthorityRecord.OutsideKeyUri,
        KeyAlgorithm = (KeyAlgorithms.Identify(certificate.PublicKey) ?? KeyAlgorithm.Rsa4096).ToConfigName(),
        NotBefore = certificate.NotBefore.ToUniversalTime(),
        NotAfter = certificate.NotAfter.ToUniversalTime(),
        CreatedAt = now,
    };
}
