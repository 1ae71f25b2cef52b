using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Ess;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cms;
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
    public static byte[] Sign(SigningIdentity identity, Action<Stream> writeContent)
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
        return generator.Generate(new StreamedContent(writeContent), encapsulate: false).GetEncoded(Asn1Encodable.Der);
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
