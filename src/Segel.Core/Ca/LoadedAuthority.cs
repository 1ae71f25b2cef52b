using System.Security.Cryptography.X509Certificates;
using Segel.Core.Storage;
using Segel.Pki.Keys;

namespace Segel.Core.Ca;

/// <summary>An authority with its certificate parsed and its key opened, ready to sign.</summary>
public sealed class LoadedAuthority(AuthorityRecord record, X509Certificate2 certificate, ISigningKey key)
{
    public AuthorityRecord Record { get; } = record;

    public X509Certificate2 Certificate { get; } = certificate;

    public ISigningKey Key { get; } = key;

    public int Id => Record.Id;

    public string Slug => Record.Slug;
}
