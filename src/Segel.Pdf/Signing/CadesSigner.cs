using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Ess;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.Utilities.Collections;
using Segel.Pki.Keys;
using Segel.Pki.Ocsp;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using CmsAttribute = Org.BouncyCastle.Asn1.Cms.Attribute;

namespace Segel.Pdf.Signing;

/// <summary>Who signs: the certificate, the chain to travel with it, and the key (software or HSM, behind <see cref="ISigningKey"/>).</summary>
public sealed record SigningIdentity(X509Certificate2 Certificate, IReadOnlyList<X509Certificate2> Chain, ISigningKey Key);

/// <summary>
/// Detached CMS signatures in the CAdES form PAdES baseline asks for (ETSI EN 319 142-1): signed attributes
/// content-type, message-digest and signing-certificate-v2, and no signing-time (the time is the signature
/// dictionary's /M). BouncyCastle, not .NET's SignedCms, because the content is streamed from the file's byte
/// ranges instead of being copied into memory, and the signature comes from <see cref="ISigningKey"/>.
/// </summary>
public static class CadesSigner
{
    /// <summary>Signs the streamed content; with a TSA, adds the signature time-stamp that makes it PAdES B-T.</summary>
    public static byte[] Sign(SigningIdentity identity, Action<Stream> writeContent, ITimeStampClient? timeStamps = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(writeContent);
        var signer = new BcCertificate(identity.Certificate.RawData);
        var attributes = new PadesAttributes(SigningCertificateV2(identity.Certificate, signer));
        SignerInfoGenerator signerInfo = new SignerInfoGeneratorBuilder()
            .WithSignedAttributeGenerator(attributes)
            .Build(new KeySignatureFactory(identity.Key), signer);
        var generator = new CmsSignedDataGenerator();
        generator.AddSignerInfoGenerator(signerInfo);
        generator.AddCertificates(CollectionUtilities.CreateStore(
            new[] { signer }.Concat(identity.Chain.Select(c => new BcCertificate(c.RawData))).ToList()));
        CmsSignedData signed = generator.Generate(new StreamedContent(writeContent), encapsulate: false);
        if (timeStamps is not null)
        {
            signed = AddSignatureTimeStamp(signed, timeStamps);
        }
        return signed.GetEncoded(Asn1Encodable.Der);
    }

    /// <summary>
    /// The signature-time-stamp (RFC 3161 token over the hash of the signature value, ETSI EN 319 122-1 §5.3)
    /// as an unsigned attribute: proof that the signature existed at that time, from a party other than the signer.
    /// </summary>
    private static CmsSignedData AddSignatureTimeStamp(CmsSignedData signed, ITimeStampClient timeStamps)
    {
        SignerInformation signer = signed.GetSignerInfos().GetSigners().First();
        var requests = new TimeStampRequestGenerator();
        requests.SetCertReq(true);
        TimeStampRequest request = requests.Generate(TspAlgorithms.Sha256, SHA256.HashData(signer.GetSignature()),
            new Org.BouncyCastle.Math.BigInteger(1, RandomNumberGenerator.GetBytes(8)));
        TimeStampResponse response;
        try
        {
            response = new TimeStampResponse(timeStamps.Stamp(request.GetEncoded()));
            response.Validate(request);
        }
        catch (Exception e) when (e is TspException or IOException or ArgumentException or InvalidOperationException or HttpRequestException)
        {
            throw new InvalidOperationException($"The time-stamping authority gave no usable time-stamp: {e.Message}", e);
        }
        if (response.TimeStampToken is not { } token)
        {
            throw new InvalidOperationException($"The time-stamping authority refused: {response.GetStatusString() ?? response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }
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

    private sealed class PadesAttributes(CmsAttribute signingCertificate) : CmsAttributeTableGenerator
    {
        public Org.BouncyCastle.Asn1.Cms.AttributeTable GetAttributes(IDictionary<CmsAttributeTableParameter, object> parameters)
        {
            var table = new Asn1EncodableVector
            {
                new CmsAttribute(CmsAttributes.ContentType, new DerSet((DerObjectIdentifier)parameters[CmsAttributeTableParameter.ContentType])),
                new CmsAttribute(CmsAttributes.MessageDigest, new DerSet(new DerOctetString((byte[])parameters[CmsAttributeTableParameter.Digest]))),
                signingCertificate,
            };
            return new Org.BouncyCastle.Asn1.Cms.AttributeTable(table);
        }
    }

    private sealed class StreamedContent(Action<Stream> write) : CmsTypedData
    {
        public DerObjectIdentifier ContentType => CmsObjectIdentifiers.Data;

        public void Write(Stream outStream) => write(outStream);

        public object GetContent() => throw new NotSupportedException("The content is streamed, never held.");
    }
}
