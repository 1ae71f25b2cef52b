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

    public AuthorityRecord Record { get; }

    public X509Certificate2 Certificate { get; }

    internal ISigningKey Key { get; }

    public int Id => Record.Id;

    public string Slug => Record.Slug;
}
