using System.Security.Cryptography.X509Certificates;
using Segel.Core.Storage;
using Segel.Pki.Keys;

namespace Segel.Core.Ca;

/// <summary>An authority with its certificate parsed and its key opened, ready to sign; the key only for the core's own services.</summary>
public sealed class LoadedAuthority
{
    internal LoadedAuthority(AuthorityRecord record, X509Certificate2 certificate, ISigningKey key)
    {
        Record = record;
        Certificate = certificate;
        Key = key;
    }

    internal AuthorityRecord Record { get; }

    public X509Certificate2 Certificate { get; }

    internal ISigningKey Key { get; }

    public int Id => Record.Id;

    public AuthorityRole Role => Record.Role;

    /// <summary>Whether it is the one in use for its role (a renewed responder leaves its predecessor inactive).</summary>
    public bool Active => Record.Active;

    public DateTimeOffset NotAfter => Record.NotAfter;

    /// <summary>Its key's algorithm as configured (<c>ecdsa-p256</c>, <c>rsa3072</c>, …).</summary>
    public string KeyAlgorithm => Record.KeyAlgorithm;

    public byte[] CertificateDer => Record.CertificateDer;

    public string Slug => Record.Slug;

    /// <summary>False for an outside CA above Segel's issuing CA (the national root): its certificate is known, its key is not Segel's.</summary>
    public bool HasKey => Record.KeyUri != AuthorityRecord.OutsideKeyUri;
}
