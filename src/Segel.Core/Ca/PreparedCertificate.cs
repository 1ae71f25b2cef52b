using System.Security.Cryptography.X509Certificates;
using Segel.Pki.Cmp;

namespace Segel.Core.Ca;

/// <summary>
/// A certificate signed but not yet recorded (<see cref="CertificateIssuance.PrepareAsync"/>). From an upstream
/// CA it waits for its confirmation: <see cref="ConfirmAsync"/> after the record commits, and disposing it unconfirmed
/// refuses it, so the upstream revokes a certificate Segel did not keep.
/// </summary>
internal sealed class PreparedCertificate : IAsyncDisposable
{
    private readonly CmpPendingEnrollment? _pending;
    private bool _settled;

    public PreparedCertificate(X509Certificate2 certificate, LoadedAuthority issuer, string? email, CmpPendingEnrollment? pending)
    {
        Certificate = certificate;
        Issuer = issuer;
        Email = email;
        _pending = pending;
    }

    public X509Certificate2 Certificate { get; }

    public LoadedAuthority Issuer { get; }

    /// <summary>The holder's e-mail address; none for a TLS server.</summary>
    public string? Email { get; }

    public bool FromUpstream => _pending is not null;

    /// <summary>
    /// Tells the upstream the certificate is kept. A confirmation that does not arrive is not the caller's failure: the
    /// certificate is recorded, and if the upstream revokes it unconfirmed, the status check records that revocation.
    /// </summary>
    public async Task ConfirmAsync()
    {
        _settled = true;
        if (_pending is not null)
        {
            try
            {
                await _pending.ConfirmAsync();
            }
            catch (CmpException)
            {
                // See the summary.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_settled && _pending is not null)
        {
            _settled = true;
            await UpstreamCa.RefuseQuietlyAsync(_pending, "Segel's RA could not record the certificate");
        }
    }
}
