using Org.BouncyCastle.Asn1.Cmp;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Segel.Pki.Cmp;

/// <summary>
/// A certificate the upstream CA issued and is waiting to hear about (certConf). Confirm it once it is safely
/// recorded; refuse it when it cannot be (the RA's own transaction failed), and a conformant CA revokes it
/// (RFC 9483 §4.1.1), so no certificate exists upstream that the RA does not know of.
/// </summary>
public sealed class CmpPendingEnrollment
{
    private readonly CmpClient _client;
    private int _answered;

    internal CmpPendingEnrollment(CmpClient client, CmpEnrollment result, BcCertificate issued, Org.BouncyCastle.Math.BigInteger requestId, byte[] transaction, byte[]? serverNonce)
    {
        _client = client;
        Result = result;
        Issued = issued;
        RequestId = requestId;
        Transaction = transaction;
        ServerNonce = serverNonce;
    }

    public CmpEnrollment Result { get; }

    internal BcCertificate Issued { get; }

    internal Org.BouncyCastle.Math.BigInteger RequestId { get; }

    internal byte[] Transaction { get; }

    internal byte[]? ServerNonce { get; }

    /// <summary>Tells the upstream the certificate is accepted. Once only: the transaction ends with it.</summary>
    public Task ConfirmAsync(CancellationToken cancellationToken = default) => AnswerAsync(null, 0, cancellationToken);

    /// <summary>Tells the upstream the certificate is refused, with the reason (a failInfo bit of RFC 4210 §5.2.3, e.g. systemFailure).</summary>
    public Task RefuseAsync(string reason, int failure = PkiFailureInfo.SystemFailure, CancellationToken cancellationToken = default) =>
        AnswerAsync(reason, failure, cancellationToken);

    private Task AnswerAsync(string? refusal, int failure, CancellationToken cancellationToken) =>
        Interlocked.Exchange(ref _answered, 1) == 0
            ? _client.ConfirmAsync(this, refusal, failure, cancellationToken)
            : throw new InvalidOperationException("The certificate was already confirmed or refused.");
}
