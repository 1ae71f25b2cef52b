using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Segel.Pki.Ocsp;

/// <summary>One certificate a request asks about: its CertID as sent (echoed in the answer) and the parts of it.</summary>
internal sealed record RequestedCertificate(byte[] CertId, string HashOid, byte[] IssuerNameHash, byte[] IssuerKeyHash, byte[] Serial)
{
    /// <summary>A serial number is a positive integer (RFC 5280 §4.1.2.2); anything else names no certificate.</summary>
    public bool SerialIsPositive => Serial.Length > 0 && (Serial[0] & 0x80) == 0 && Serial.Any(b => b != 0);
}

/// <summary>A request read: what it asks about and its nonce extension's value, when it has one.</summary>
internal sealed record OcspRequestContent(IReadOnlyList<RequestedCertificate> Certificates, byte[]? NonceValue);

/// <summary>
/// Reads an OCSPRequest (RFC 6960 §4.1.1) straight from its DER, without building an object graph: a fresh answer is
/// asked for on every request with a nonce, so reading it must cost little. Anything that is not exactly one DER
/// OCSPRequest is refused (null); a signed request's signature is not checked, as RFC 5019 responders do not.
/// </summary>
internal static class OcspRequestReader
{
    private const string NonceOid = "1.3.6.1.5.5.7.48.1.2";
    private static readonly Asn1Tag Context0 = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag Context1 = new(TagClass.ContextSpecific, 1, isConstructed: true);
    private static readonly Asn1Tag Context2 = new(TagClass.ContextSpecific, 2, isConstructed: true);

    public static OcspRequestContent? Read(ReadOnlyMemory<byte> request, int maxCertificates)
    {
        try
        {
            var outer = new AsnReader(request, AsnEncodingRules.DER);
            AsnReader ocspRequest = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            AsnReader tbs = ocspRequest.ReadSequence();
            if (ocspRequest.HasData)
            {
                ocspRequest.ReadSequence(Context0); // optionalSignature
            }
            ocspRequest.ThrowIfNotEmpty();

            if (tbs.PeekTag().HasSameClassAndValue(Context0))
            {
                tbs.ReadSequence(Context0); // version
            }
            if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Context1))
            {
                tbs.ReadSequence(Context1); // requestorName
            }
            AsnReader list = tbs.ReadSequence();
            var certificates = new List<RequestedCertificate>(1);
            while (list.HasData)
            {
                if (certificates.Count == maxCertificates)
                {
                    return null;
                }
                AsnReader single = list.ReadSequence();
                certificates.Add(ReadCertId(single.ReadEncodedValue()));
                if (single.HasData)
                {
                    single.ReadSequence(Context0); // singleRequestExtensions
                }
                single.ThrowIfNotEmpty();
            }
            byte[]? nonce = null;
            if (tbs.HasData)
            {
                foreach ((string oid, byte[] value) in Certificates.ExtensionReader.Read(tbs.ReadSequence(Context2).ReadSequence()))
                {
                    if (oid == NonceOid)
                    {
                        nonce = value;
                    }
                }
            }
            tbs.ThrowIfNotEmpty();
            return certificates.Count == 0 ? null : new OcspRequestContent(certificates, nonce);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The nonce's own length: the OCTET STRING inside the extension's value (RFC 8954 §2.1), else the value itself (older clients send it bare).</summary>
    public static int NonceLength(byte[] value)
    {
        try
        {
            var reader = new AsnReader(value, AsnEncodingRules.DER);
            byte[] inner = reader.ReadOctetString();
            reader.ThrowIfNotEmpty();
            return inner.Length;
        }
        catch (AsnContentException)
        {
            return value.Length;
        }
    }

    private static RequestedCertificate ReadCertId(ReadOnlyMemory<byte> encoded)
    {
        var reader = new AsnReader(encoded, AsnEncodingRules.DER);
        AsnReader certId = reader.ReadSequence();
        AsnReader algorithm = certId.ReadSequence();
        string hashOid = algorithm.ReadObjectIdentifier();
        if (algorithm.HasData)
        {
            algorithm.ReadEncodedValue(); // parameters, NULL or absent
        }
        algorithm.ThrowIfNotEmpty();
        byte[] nameHash = certId.ReadOctetString();
        byte[] keyHash = certId.ReadOctetString();
        byte[] serial = certId.ReadIntegerBytes().ToArray();
        certId.ThrowIfNotEmpty();
        return new RequestedCertificate(encoded.ToArray(), hashOid, nameHash, keyHash, serial);
    }
}
