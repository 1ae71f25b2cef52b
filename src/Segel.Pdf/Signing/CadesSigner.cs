using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Ess;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Tsp;
using Segel.Pki;
using Segel.Pki.Keys;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using CmsAttribute = Org.BouncyCastle.Asn1.Cms.Attribute;
using ContentInfo = Org.BouncyCastle.Asn1.Cms.ContentInfo;
using IssuerAndSerialNumber = Org.BouncyCastle.Asn1.Cms.IssuerAndSerialNumber;
using SignedData = Org.BouncyCastle.Asn1.Cms.SignedData;
using SignerInfo = Org.BouncyCastle.Asn1.Cms.SignerInfo;

namespace Segel.Pdf.Signing;

/// <summary>Who signs: the certificate, the chain to travel with it, and the key (software or HSM, behind <see cref="ISigningKey"/>).</summary>
public sealed record SigningIdentity(X509Certificate2 Certificate, IReadOnlyList<X509Certificate2> Chain, ISigningKey Key);

/// <summary>
/// Detached CMS signatures in the CAdES form PAdES baseline asks for (ETSI EN 319 142-1): signed attributes
/// content-type, message-digest and signing-certificate-v2, and no signing-time (the time is the signature
/// dictionary's /M). Not .NET's SignedCms, because the content is streamed from the file's byte ranges
/// instead of being copied into memory, and the signature comes from <see cref="ISigningKey"/>: .NET hashes,
/// the key signs, BouncyCastle's ASN.1 types lay out the SignedData.
/// </summary>
public static class CadesSigner
{
    /// <summary>Signs the streamed content; with a TSA, adds the signature time-stamp that makes it PAdES B-T.</summary>
    public static Task<byte[]> SignAsync(SigningIdentity identity, Action<Stream> writeContent, ITimeStampClient? timeStamps = null,
        CancellationToken cancellationToken = default) => SignAsync(identity, writeContent, timeStamps, signingTime: null, cancellationToken);

    /// <summary>
    /// As above, with the signing-time attribute that CAdES baseline B-B asks for (ETSI EN 319 122-1 §5.2.1) when
    /// <paramref name="signingTime"/> is given — a signature of its own (a file, an ASiC-E container); PAdES forbids it.
    /// </summary>
    public static async Task<byte[]> SignAsync(SigningIdentity identity, Action<Stream> writeContent, ITimeStampClient? timeStamps,
        DateTimeOffset? signingTime, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(writeContent);
        // The content is hashed by .NET (OpenSSL underneath): BouncyCastle's managed SHA-256 was 8× slower, and
        // hashing the document is most of the work. BouncyCastle only lays out the ASN.1.
        HashAlgorithmName hash = identity.Key.Algorithm.Hash();
        byte[] messageDigest;
        using (var digest = IncrementalHash.CreateHash(hash))
        {
            using var sink = new HashingStream(digest);
            writeContent(sink);
            messageDigest = digest.GetHashAndReset();
        }
        var signer = new BcCertificate(identity.Certificate.RawData);
        var digestAlgorithm = new AlgorithmIdentifier(DigestOid(hash));
        var attributes = new Asn1EncodableVector(
            new CmsAttribute(CmsAttributes.ContentType, new DerSet(CmsObjectIdentifiers.Data)),
            new CmsAttribute(CmsAttributes.MessageDigest, new DerSet(new DerOctetString(messageDigest))),
            SigningCertificateV2(identity.Certificate, signer));
        if (signingTime is { } at)
        {
            attributes.Add(new CmsAttribute(CmsAttributes.SigningTime, new DerSet(new Org.BouncyCastle.Asn1.Cms.Time(at.UtcDateTime))));
        }
        var signedAttributes = new DerSet(attributes);
        // RFC 5652 §5.4: the signature is over the DER of the SET OF signed attributes.
        byte[] signature = identity.Key.SignData(signedAttributes.GetEncoded(Asn1Encodable.Der));
        var signerInfo = new SignerInfo(new SignerIdentifier(new IssuerAndSerialNumber(signer.CertificateStructure)), digestAlgorithm, signedAttributes,
            AlgorithmIdentifier.GetInstance(Asn1Object.FromByteArray(SignatureAlgorithms.AlgorithmIdentifier(identity.Key.Algorithm))),
            new DerOctetString(signature), (Asn1Set?)null);
        var certificates = new Asn1EncodableVector(signer.CertificateStructure);
        foreach (X509Certificate2 certificate in identity.Chain)
        {
            certificates.Add(new BcCertificate(certificate.RawData).CertificateStructure);
        }
        var signedData = new SignedData(new DerSet(digestAlgorithm), new ContentInfo(CmsObjectIdentifiers.Data, null), new DerSet(certificates), null,
            new DerSet(signerInfo));
        var signed = new CmsSignedData(new ContentInfo(CmsObjectIdentifiers.SignedData, signedData));
        if (timeStamps is not null)
        {
            signed = await AddSignatureTimeStampAsync(signed, timeStamps, cancellationToken);
        }
        return signed.GetEncoded(Asn1Encodable.Der);
    }

    /// <summary>
    /// A signature of its own at the level <paramref name="options"/> asks for: B-B with signing-time, B-T with the
    /// signature time-stamp, B-LT with the validation data of the signer and the time-stamping authority inside it
    /// (<see cref="CadesValidationData"/>). B-LTA is a container's (an archive time-stamp over it, <c>AsicWriter</c>).
    /// </summary>
    public static async Task<byte[]> SignAsync(SigningIdentity identity, Action<Stream> writeContent, CadesOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Check();
        if (options.Level == PadesLevel.BaselineLTA)
        {
            throw new ArgumentException("A signature of its own goes up to B-LT; B-LTA's archive time-stamp is a container's (AsicWriter).", nameof(options));
        }
        byte[] cms = await SignAsync(identity, writeContent, options.Level >= PadesLevel.BaselineT ? options.TimeStamps : null, options.SigningTime, cancellationToken);
        return options.Level >= PadesLevel.BaselineLT
            ? await CadesValidationData.AddAsync(cms, options.Revocation!, options.SigningTime, cancellationToken)
            : cms;
    }

    private static DerObjectIdentifier DigestOid(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA256 ? NistObjectIdentifiers.IdSha256
        : hash == HashAlgorithmName.SHA384 ? NistObjectIdentifiers.IdSha384
        : hash == HashAlgorithmName.SHA512 ? NistObjectIdentifiers.IdSha512
        : throw new NotSupportedException($"No CMS digest for {hash}.");

    /// <summary>
    /// The signature-time-stamp (RFC 3161 token over the hash of the signature value, ETSI EN 319 122-1 §5.3)
    /// as an unsigned attribute: proof that the signature existed at that time, from a party other than the signer.
    /// </summary>
    private static async Task<CmsSignedData> AddSignatureTimeStampAsync(CmsSignedData signed, ITimeStampClient timeStamps, CancellationToken cancellationToken)
    {
        SignerInformation signer = signed.GetSignerInfos().GetSigners().First();
        TimeStampToken token = await TimeStampRequests.StampAsync(timeStamps, SHA256.HashData(signer.GetSignature()), cancellationToken);
        var attribute = new CmsAttribute(PkcsObjectIdentifiers.IdAASignatureTimeStampToken, new DerSet(token.ToCmsSignedData().ContentInfo));
        SignerInformation stamped = SignerInformation.ReplaceUnsignedAttributes(signer, new Org.BouncyCastle.Asn1.Cms.AttributeTable(new Asn1EncodableVector(attribute)));
        return CmsSignedData.ReplaceSigners(signed, new SignerInformationStore(stamped));
    }

    private static CmsAttribute SigningCertificateV2(X509Certificate2 certificate, BcCertificate signer)
    {
        var issuerSerial = new IssuerSerial(new GeneralNames(new GeneralName(signer.IssuerDN)), new DerInteger(signer.SerialNumber));
        var id = new EssCertIDv2(SHA256.HashData(certificate.RawData), issuerSerial);
        return new CmsAttribute(PkcsObjectIdentifiers.IdAASigningCertificateV2, new DerSet(new SigningCertificateV2([id])));
    }
}
