using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Esf;
using Org.BouncyCastle.Asn1.Ess;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.Utilities.Collections;
using Segel.Pdf.Model;
using Segel.Pdf.Parsing;
using Segel.Pdf.Signing;
using Segel.Pdf.Verification;
using Segel.Pki.Validation;
using Segel.Testing;
using BcAttribute = Org.BouncyCastle.Asn1.Cms.Attribute;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Segel.Pdf.Tests;

/// <summary>
/// Signatures as other signers make them (issue 24.3): CMS built here with BouncyCastle, not by Segel's signer — without
/// signed attributes, with ESS signing-certificate v1 or v2 with and without issuerSerial, with a signature policy whose
/// hash is zero, with a counter-signature nobody asked for, as adbe.pkcs7.sha1, and time-stamped with another digest or
/// with the authority's certificate outside the token. Each is read and judged; none fails for being unfamiliar.
/// </summary>
public sealed class ForeignSignatureTests(SigningFixture fixture) : IClassFixture<SigningFixture>
{
    private System.Security.Cryptography.X509Certificates.X509Certificate2[] Root => [fixture.Identity.Chain[^1]];

    /// <summary>The sample letter with one signature field whose CMS <paramref name="sign"/> makes over the byte ranges.</summary>
    private static async Task<byte[]> SignedBy(Func<byte[], Task<byte[]>> sign, string subFilter = "ETSI.CAdES.detached")
    {
        byte[] letter = SamplePdf.Letter();
        PdfDocument document = PdfDocument.Open(letter);
        var update = new ForeignUpdate(document);
        (PdfReference pageRef, PdfDictionary page) = document.EnumeratePages().First();
        PdfReference field = update.Add(new PdfDictionary
        {
            ["Type"] = new PdfName("Annot"), ["Subtype"] = new PdfName("Widget"), ["FT"] = new PdfName("Sig"), ["T"] = PdfString.Text("Signature1"),
            ["V"] = update.AddSignature(subFilter: subFilter), ["Rect"] = new PdfArray([new PdfNumber(0), new PdfNumber(0), new PdfNumber(0), new PdfNumber(0)]),
            ["F"] = new PdfNumber(132), ["P"] = pageRef,
        });
        PdfDictionary withField = page.Copy();
        withField["Annots"] = new PdfArray([field]);
        update.Replace(pageRef, withField);
        PdfDictionary catalog = document.Catalog.Copy();
        catalog["AcroForm"] = new PdfDictionary { ["Fields"] = new PdfArray([field]), ["SigFlags"] = new PdfNumber(3) };
        update.Replace((PdfReference)document.Trailer["Root"]!, catalog);
        return await update.WriteAsync(letter, sign);
    }

    private sealed record Cms(
        string Algorithm = "SHA256WithRSA",
        BcAttribute[]? Signed = null,
        bool NoSignedAttributes = false,
        bool Encapsulate = false,
        Func<SignerInformation, Task<SignerInformation>>? Then = null,
        BcCertificate[]? MoreCertificates = null);

    private async Task<byte[]> Build(byte[] content, Cms how, SigningIdentity? who = null)
    {
        who ??= fixture.Identity;
        var certificate = new BcCertificate(who.Certificate.RawData);
        var builder = new SignerInfoGeneratorBuilder();
        if (how.NoSignedAttributes)
        {
            builder.SetDirectSignature(true);
        }
        else if (how.Signed is { } attributes)
        {
            builder.WithSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new Org.BouncyCastle.Asn1.Cms.AttributeTable(new Asn1EncodableVector(attributes))));
        }
        var generator = new CmsSignedDataGenerator();
        generator.AddSignerInfoGenerator(builder.Build(new Asn1SignatureFactory(how.Algorithm, DotNetUtilities.GetRsaKeyPair(fixture.RsaKeyOf(who)).Private), certificate));
        generator.AddCertificates(CollectionUtilities.CreateStore(
            [certificate, .. who.Chain.Select(c => new BcCertificate(c.RawData)), .. how.MoreCertificates ?? []]));
        CmsSignedData data = generator.Generate(new CmsProcessableByteArray(content), how.Encapsulate);
        if (how.Then is { } then)
        {
            data = CmsSignedData.ReplaceSigners(data, new SignerInformationStore(await then(data.GetSignerInfos().GetSigners().First())));
        }
        return data.GetEncoded(Asn1Encodable.Der);
    }

    private async Task<SignatureReport> Verify(byte[] file) => Assert.Single(await PdfVerifier.VerifyAsync(file, Root, fixture.Online));

    private static string Why(SignatureReport report) => string.Join("\n", report.Findings);

    private BcAttribute EssV1(bool issuerSerial)
    {
        var certificate = new BcCertificate(fixture.Identity.Certificate.RawData);
#pragma warning disable CA5350 // ESS v1 names the certificate by its SHA-1 hash; this is what other signers write
        byte[] hash = SHA1.HashData(certificate.GetEncoded());
#pragma warning restore CA5350
        EssCertID id = issuerSerial ? new EssCertID(hash, new IssuerSerial(new GeneralNames(new GeneralName(certificate.IssuerDN)), new DerInteger(certificate.SerialNumber))) : new EssCertID(hash);
        return new BcAttribute(PkcsObjectIdentifiers.IdAASigningCertificate, new DerSet(new SigningCertificate(id)));
    }

    private BcAttribute EssV2WithoutIssuerSerial() =>
        new(PkcsObjectIdentifiers.IdAASigningCertificateV2, new DerSet(new SigningCertificateV2([new EssCertIDv2(SHA256.HashData(fixture.Identity.Certificate.RawData))])));

    private static BcAttribute ZeroHashPolicy() =>
        new(PkcsObjectIdentifiers.IdAAEtsSigPolicyID, new DerSet(new SignaturePolicyIdentifier(new SignaturePolicyId(new DerObjectIdentifier("1.2.3.4.5.6.7"),
            new OtherHashAlgAndValue(new AlgorithmIdentifier(NistObjectIdentifiers.IdSha256), new DerOctetString(new byte[32]))))));

    public static TheoryData<string> Familiar => ["no signed attributes", "ESS v1 with issuerSerial", "ESS v1 without issuerSerial", "ESS v2 without issuerSerial", "zero-hash policy", "counter-signature"];

    [Theory]
    [MemberData(nameof(Familiar))]
    public async Task Signatures_other_signers_make_are_read_and_judged(string kind)
    {
        Cms how = kind switch
        {
            "no signed attributes" => new Cms(NoSignedAttributes: true),
            "ESS v1 with issuerSerial" => new Cms(Signed: [EssV1(issuerSerial: true)]),
            "ESS v1 without issuerSerial" => new Cms(Signed: [EssV1(issuerSerial: false)]),
            "ESS v2 without issuerSerial" => new Cms(Signed: [EssV2WithoutIssuerSerial()]),
            "zero-hash policy" => new Cms(Signed: [EssV2WithoutIssuerSerial(), ZeroHashPolicy()]),
            _ => new Cms(Then: async signer =>
            {
                // A co-signer's counter-signature over this signature value, which PAdES does not use: present, ignored.
                var counter = new CmsSignedDataGenerator();
                counter.AddSignerInfoGenerator(new SignerInfoGeneratorBuilder().Build(
                    new Asn1SignatureFactory("SHA256WithRSA", DotNetUtilities.GetRsaKeyPair(fixture.RsaKeyOf(fixture.Second)).Private), new BcCertificate(fixture.Second.Certificate.RawData)));
                return await Task.FromResult(SignerInformation.AddCounterSigners(signer, counter.GenerateCounterSigners(signer)));
            }),
        };
        byte[] file = await SignedBy(content => Build(content, how), kind == "no signed attributes" ? "adbe.pkcs7.detached" : "ETSI.CAdES.detached");
        Tool.Result pdfsig = fixture.PdfSig(fixture.Write(file, $"foreign-{kind.Replace(' ', '-')}.pdf"));
        Assert.Contains("Signature is Valid", pdfsig.Stdout, StringComparison.Ordinal);
        SignatureReport report = await Verify(file);
        Assert.True(report.Conclusion == SignatureConclusion.Valid, $"{kind}:\n{Why(report)}");
    }

    [Fact]
    public async Task An_adbe_pkcs7_sha1_signature_is_read_and_its_SHA1_judged_by_the_policy()
    {
        byte[] file = await SignedBy(content =>
        {
#pragma warning disable CA5350 // adbe.pkcs7.sha1 signs the SHA-1 digest of the document: the point of the test
            return Build(SHA1.HashData(content), new Cms(Algorithm: "SHA1WithRSA", Encapsulate: true));
#pragma warning restore CA5350
        }, "adbe.pkcs7.sha1");
        SignatureReport report = await Verify(file);
        Assert.Contains("signature-intact", report.Findings.Select(f => f.ToString()));
        Assert.Equal(SignatureConclusion.Indeterminate, report.Conclusion);
        Assert.Contains(report.Findings, f => f.Code == FindingCode.WeakAlgorithm && f.Detail!.Contains("SHA-1", StringComparison.Ordinal));

        // The same with the digest changed is broken, not unfamiliar.
        byte[] tampered = (byte[])file.Clone();
        int at = System.Text.Encoding.Latin1.GetString(tampered).IndexOf("halaman 1", StringComparison.Ordinal);
        tampered[at] = (byte)'H';
        Assert.Equal(SignatureConclusion.Invalid, (await Verify(tampered)).Conclusion);
    }

    /// <summary>A signature time-stamp the way other signers ask for one: another imprint digest, and the authority's certificate left out of the token.</summary>
    private async Task<SignerInformation> Stamped(SignerInformation signer, string digest, bool certificateInToken, byte[]? over = null)
    {
        byte[] stamped = over ?? signer.GetSignature();
        byte[] imprint = digest == TspAlgorithms.Sha512 ? SHA512.HashData(stamped) : SHA384.HashData(stamped);
        var request = new TimeStampRequestGenerator();
        request.SetCertReq(certificateInToken);
        byte[] answer = (await fixture.TimeStamps.StampAsync(request.Generate(digest, imprint, new Org.BouncyCastle.Math.BigInteger(64, new Random(7))).GetEncoded())).ToArray();
        TimeStampToken token = new TimeStampResponse(answer).TimeStampToken;
        var attribute = new BcAttribute(PkcsObjectIdentifiers.IdAASignatureTimeStampToken, new DerSet(token.ToCmsSignedData().ContentInfo));
        return SignerInformation.ReplaceUnsignedAttributes(signer, new Org.BouncyCastle.Asn1.Cms.AttributeTable(new Asn1EncodableVector(attribute)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_signature_time_stamp_with_another_digest_or_its_certificate_outside_the_token_is_accepted(bool certificateInToken)
    {
        // The TSA's certificate, for the signer to carry in its own CMS when the token leaves it out (as some signers do).
        var probe = new TimeStampRequestGenerator();
        probe.SetCertReq(true);
        byte[] probeAnswer = (await fixture.TimeStamps.StampAsync(probe.Generate(TspAlgorithms.Sha256, new byte[32]).GetEncoded())).ToArray();
        TimeStampToken probeToken = new TimeStampResponse(probeAnswer).TimeStampToken;
        BcCertificate tsa = probeToken.GetCertificates().EnumerateMatches(probeToken.SignerID).First();

        byte[] file = await SignedBy(content => Build(content, new Cms(
            Then: signer => Stamped(signer, certificateInToken ? TspAlgorithms.Sha512 : TspAlgorithms.Sha384, certificateInToken),
            MoreCertificates: certificateInToken ? null : [tsa])));
        SignatureReport report = await Verify(file);
        Assert.True(report.Conclusion == SignatureConclusion.Valid, Why(report));
        Assert.NotNull(report.TimeStamp);
        Assert.Contains(report.Findings, f => f.Code == FindingCode.TimestampValid);
    }

    [Fact]
    public async Task A_time_stamp_over_another_signature_proves_nothing_but_breaks_nothing()
    {
        byte[] file = await SignedBy(content => Build(content, new Cms(Then: signer => Stamped(signer, TspAlgorithms.Sha512, true, over: new byte[256]))));
        SignatureReport report = await Verify(file);
        Assert.Equal(SignatureConclusion.Indeterminate, report.Conclusion);
        Assert.Contains("signature-intact", report.Findings.Select(f => f.ToString()));
        Assert.Contains(report.Findings, f => f.Code == FindingCode.TimestampInvalid && f.Detail == "the time-stamp is over another signature");
        Assert.Null(report.TimeStamp);
        Assert.Equal(SubIndication.NoPoe, report.SubIndication);
    }
}
