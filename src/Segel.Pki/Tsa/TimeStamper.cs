using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.Utilities.Collections;
using Segel.Pki.Keys;
using Segel.Pki.Ocsp;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Segel.Pki.Tsa;

/// <summary>
/// An RFC 3161 time-stamping authority: BouncyCastle encodes the TimeStampResp (with ESS signing-certificate-v2),
/// the signature comes from <see cref="ISigningKey"/>, and the time from the CA's <see cref="TimeProvider"/>.
/// Anything that is not a well-formed request gets a rejection response, never an exception.
/// </summary>
public sealed class TimeStamper
{
    /// <summary>A TimeStampReq is a hash and a few fields; anything near this size is not one.</summary>
    public const int MaxRequestLength = 16 * 1024;

    // SHA-1 is refused: a time-stamp over a SHA-1 digest proves little today.
    private static readonly IList<string> Accepted = [TspAlgorithms.Sha256, TspAlgorithms.Sha384, TspAlgorithms.Sha512];
    // The token generator is reused; a response generator is made per request, because BouncyCastle's keeps every
    // rejection's status text and adds it to every later reply (11,682 garbage requests made a reply of 600 KB).
    private readonly TimeStampTokenGenerator _tokens;
    private readonly TimeProvider _time;

    public TimeStamper(X509Certificate2 tsaCertificate, IEnumerable<X509Certificate2> chain, ISigningKey key, string policyOid, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(tsaCertificate);
        ArgumentNullException.ThrowIfNull(chain);
        _time = time;
        BcCertificate signer = new(tsaCertificate.RawData);
        SignerInfoGenerator signerInfo = new SignerInfoGeneratorBuilder().Build(new KeySignatureFactory(key), signer);
        var tokens = new TimeStampTokenGenerator(signerInfo, Asn1DigestFactory.Get(Org.BouncyCastle.Asn1.Nist.NistObjectIdentifiers.IdSha256),
            new DerObjectIdentifier(policyOid), isIssuerSerialIncluded: true);
        tokens.SetAccuracySeconds(1);
        // Included when the request sets certReq, which is how `openssl ts -query -cert` and PDF signers ask.
        tokens.SetCertificates(CollectionUtilities.CreateStore(new[] { signer }.Concat(chain.Select(c => new BcCertificate(c.RawData))).ToList()));
        _tokens = tokens;
        TsaCertificate = tsaCertificate;
    }

    public X509Certificate2 TsaCertificate { get; }

    /// <summary>A DER TimeStampResp: granted with a token, or a rejection saying why.</summary>
    public byte[] Respond(ReadOnlySpan<byte> request)
    {
        if (request.Length == 0 || request.Length > MaxRequestLength)
        {
            return Reject(PkiFailureInfo.BadDataFormat, "The request is empty or too large to be a time-stamp request.");
        }
        TimeStampRequest parsed;
        try
        {
            parsed = new TimeStampRequest(request.ToArray());
            _ = parsed.MessageImprintAlgOid;
        }
#pragma warning disable CA1031 // whatever BouncyCastle throws on hostile bytes, the answer is a rejection
        catch (Exception)
#pragma warning restore CA1031
        {
            return Reject(PkiFailureInfo.BadDataFormat, "The request is not a DER TimeStampReq (RFC 3161).");
        }
        // A random 128-bit serial: unique without coordination between nodes (RFC 3161 §2.4.2).
        var serial = new BigInteger(1, System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        DateTime now = DateTimeOffset.FromUnixTimeSeconds(_time.GetUtcNow().ToUnixTimeSeconds()).UtcDateTime;
        try
        {
            lock (_tokens)
            {
                return new TimeStampResponseGenerator(_tokens, Accepted).Generate(parsed, serial, now).GetEncoded();
            }
        }
        catch (TspException)
        {
            return Reject(PkiFailureInfo.SystemFailure, "The time-stamp could not be produced.");
        }
    }

    private byte[] Reject(int failure, string text) =>
        new TimeStampResponseGenerator(_tokens, Accepted).GenerateFailResponse(PkiStatus.Rejection, failure, text).GetEncoded();
}
