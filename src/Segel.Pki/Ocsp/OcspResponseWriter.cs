using System.Formats.Asn1;
using Segel.Pki.Keys;
using Segel.Pki.Revocation;

namespace Segel.Pki.Ocsp;

/// <summary>
/// Writes a successful OCSPResponse (RFC 6960 §4.2.1) straight to DER. What never changes for a responder — its
/// ResponderID, signature algorithm and certificate — is encoded once; per answer only the single responses, the
/// times and the nonce are written, then the response data is signed. A fresh answer for every nonce (which any
/// client can ask for) so costs one signature and a few hundred bytes of writing, not an object graph.
/// </summary>
internal sealed class OcspResponseWriter
{
    private const string NonceOid = "1.3.6.1.5.5.7.48.1.2";
    private static readonly Asn1Tag Context0 = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag Context1 = new(TagClass.ContextSpecific, 1, isConstructed: true);
    private static readonly Asn1Tag ByKey = new(TagClass.ContextSpecific, 2, isConstructed: true);
    private static readonly Asn1Tag Good = new(TagClass.ContextSpecific, 0);
    private static readonly Asn1Tag RevokedTag = new(TagClass.ContextSpecific, 1, isConstructed: true);
    private static readonly Asn1Tag UnknownTag = new(TagClass.ContextSpecific, 2);

    private readonly ISigningKey _key;
    private readonly byte[] _responderId;
    private readonly byte[] _algorithm;
    private readonly byte[] _certificates;

    public OcspResponseWriter(ISigningKey key, byte[] responderKeyHash, byte[] responderCertificate)
    {
        _key = key;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence(ByKey))
        {
            writer.WriteOctetString(responderKeyHash);
        }
        _responderId = writer.Encode();
        _algorithm = SignatureAlgorithms.AlgorithmIdentifier(key.Algorithm);
        writer.Reset();
        using (writer.PushSequence(Context0))
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(responderCertificate);
        }
        _certificates = writer.Encode();
    }

    /// <summary>One answer: each request's CertID (its DER, echoed) with its status, and the request's nonce extension value when it sent one.</summary>
    public byte[] Write(IReadOnlyList<(byte[] CertId, CertificateStatus Status)> responses, byte[]? nonceValue, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate)
    {
        var data = new AsnWriter(AsnEncodingRules.DER);
        using (data.PushSequence())
        {
            data.WriteEncodedValue(_responderId);
            data.WriteGeneralizedTime(thisUpdate, omitFractionalSeconds: true);
            using (data.PushSequence())
            {
                foreach ((byte[] certId, CertificateStatus status) in responses)
                {
                    WriteSingle(data, certId, status, thisUpdate, nextUpdate);
                }
            }
            if (nonceValue is not null)
            {
                using (data.PushSequence(Context1))
                using (data.PushSequence())
                using (data.PushSequence())
                {
                    data.WriteObjectIdentifier(NonceOid);
                    data.WriteOctetString(nonceValue);
                }
            }
        }
        byte[] tbs = data.Encode();
        byte[] signature = _key.SignData(tbs);

        // The layers around the signed data are written by hand into one array of the final size: AsnWriter would move
        // the whole content each time a length outgrew its first byte, and this is the path every fresh answer takes.
        int bitString = 1 + signature.Length;
        int basicContent = tbs.Length + _algorithm.Length + HeaderLength(bitString) + bitString + _certificates.Length;
        int basic = HeaderLength(basicContent) + basicContent;
        int typeContent = BasicResponseTypeDer.Length + HeaderLength(basic) + basic;
        int bytesContent = HeaderLength(typeContent) + typeContent;
        int responseContent = SuccessfulDer.Length + HeaderLength(bytesContent) + bytesContent;
        byte[] response = new byte[HeaderLength(responseContent) + responseContent];
        Span<byte> at = response;
        at = Header(at, 0x30, responseContent);
        at = Put(at, SuccessfulDer);
        at = Header(at, 0xA0, bytesContent);          // responseBytes [0] EXPLICIT
        at = Header(at, 0x30, typeContent);
        at = Put(at, BasicResponseTypeDer);
        at = Header(at, 0x04, basic);                 // response OCTET STRING holding the BasicOCSPResponse
        at = Header(at, 0x30, basicContent);
        at = Put(at, tbs);
        at = Put(at, _algorithm);
        at = Header(at, 0x03, bitString);
        at[0] = 0;                                    // no unused bits
        at = Put(at[1..], signature);
        at = Put(at, _certificates);
        return at.IsEmpty ? response : throw new InvalidOperationException("The OCSP response was not written to its computed length.");
    }

    // OCSPResponseStatus successful, and id-pkix-ocsp-basic, as DER.
    private static readonly byte[] SuccessfulDer = [0x0A, 0x01, 0x00];
    private static readonly byte[] BasicResponseTypeDer = [0x06, 0x09, 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01];

    private static int HeaderLength(int contentLength) => contentLength switch
    {
        < 0x80 => 2,
        <= 0xFF => 3,
        <= 0xFFFF => 4,
        <= 0xFFFFFF => 5,
        _ => 6,
    };

    private static Span<byte> Header(Span<byte> to, byte tag, int contentLength)
    {
        int length = HeaderLength(contentLength);
        to[0] = tag;
        if (length == 2)
        {
            to[1] = (byte)contentLength;
        }
        else
        {
            to[1] = (byte)(0x80 | (length - 2));
            for (int i = length - 1, value = contentLength; i >= 2; i--, value >>= 8)
            {
                to[i] = (byte)value;
            }
        }
        return to[length..];
    }

    private static Span<byte> Put(Span<byte> to, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(to);
        return to[bytes.Length..];
    }

    private static void WriteSingle(AsnWriter writer, byte[] certId, CertificateStatus status, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate)
    {
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(certId);
            switch (status.State)
            {
                case CertificateState.Good:
                    writer.WriteNull(Good);
                    break;
                case CertificateState.Revoked:
                    using (writer.PushSequence(RevokedTag))
                    {
                        writer.WriteGeneralizedTime(status.RevokedAt!.Value, omitFractionalSeconds: true);
                        if (status.Reason is { } reason and not RevocationReason.Unspecified)
                        {
                            using (writer.PushSequence(Context0))
                            {
                                writer.WriteEnumeratedValue(reason);
                            }
                        }
                    }
                    break;
                default:
                    writer.WriteNull(UnknownTag);
                    break;
            }
            writer.WriteGeneralizedTime(thisUpdate, omitFractionalSeconds: true);
            using (writer.PushSequence(Context0))
            {
                writer.WriteGeneralizedTime(nextUpdate, omitFractionalSeconds: true);
            }
        }
    }
}
