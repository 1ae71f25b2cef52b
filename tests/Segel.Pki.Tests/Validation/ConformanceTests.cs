using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Segel.Pki.Validation;

namespace Segel.Pki.Tests.Validation;

/// <summary>
/// Certificates from outside held to RFC 5280's letter (issue 21.4): each rule its own certificate, built here with .NET's
/// CertificateRequest, in a path that is otherwise good — and the same paths accepted when only the path algorithm is
/// asked for (as NIST's PKITS does), so each refusal is the profile rule's and nothing else.
/// </summary>
public sealed class ConformanceTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public sealed record Shape(
        bool BasicConstraintsCritical = true,
        bool SubjectKeyId = true,
        bool AuthorityKeyId = true,
        bool KeyCertSign = false,
        bool NameConstraints = false,
        byte[]? Serial = null,
        int? PathLength = null);

    private static X509Certificate2 Root(ECDsa key, int? pathLength = null)
    {
        var request = new CertificateRequest("CN=Outside Root, O=Test", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, pathLength is not null, pathLength ?? 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(Now.AddDays(-10), Now.AddYears(5));
    }

    private static X509Certificate2 Issue(string name, ECDsa key, X509Certificate2 issuer, ECDsa issuerKey, bool ca, Shape shape)
    {
        var request = new CertificateRequest($"CN={name}, O=Test", key, HashAlgorithmName.SHA256);
        if (ca)
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, shape.PathLength is not null, shape.PathLength ?? 0, shape.BasicConstraintsCritical));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        }
        else
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | (shape.KeyCertSign ? X509KeyUsageFlags.KeyCertSign : 0), true));
        }
        if (shape.SubjectKeyId)
        {
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        }
        if (shape.AuthorityKeyId)
        {
            bool issuerHasKeyId = issuer.Extensions["2.5.29.14"] is not null;
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, issuerHasKeyId, !issuerHasKeyId));
        }
        if (shape.NameConstraints)
        {
            request.CertificateExtensions.Add(new X509Extension("2.5.29.30", PermittedDns("tanahbumbukab.go.id"), true));
        }
        byte[] serial = shape.Serial ?? RandomNumberGenerator.GetBytes(16).Select((b, i) => i == 0 ? (byte)(b & 0x7F | 0x01) : b).ToArray();
        return request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), Now.AddDays(-5), Now.AddYears(2), serial);
    }

    private static byte[] PermittedDns(string domain)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
        using (writer.PushSequence())
        {
            writer.WriteCharacterString(UniversalTagNumber.IA5String, domain, new Asn1Tag(TagClass.ContextSpecific, 2));
        }
        return writer.Encode();
    }

    /// <summary>Root → intermediate (shaped by <paramref name="intermediate"/>) → leaf (shaped by <paramref name="leaf"/>), validated both ways.</summary>
    private static async Task<(PathResult Strict, PathResult Algorithm)> CheckAsync(Shape intermediate, Shape leaf)
    {
        using ECDsa rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using ECDsa middleKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using ECDsa leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        X509Certificate2 root = Root(rootKey);
        X509Certificate2 middle = Issue("Outside Issuing CA", middleKey, root, rootKey, ca: true, intermediate);
        X509Certificate2 end = Issue("Pegawai", leafKey, middle, middleKey, ca: false, leaf);
        var evidence = new RevocationEvidence();
        evidence.Certificates.Add(middle);
        var check = new PathCheck(end, [root], Now, evidence) { TimeProven = true };
        return (await PathValidator.CheckAsync(check), await PathValidator.CheckAsync(check with { Conformance = ConformanceLevel.PathAlgorithm }));
    }

    private static string? Nonconforming(PathResult result) => result.Findings.SingleOrDefault(f => f.Code == FindingCode.CertificateNonconforming)?.Detail;

    [Fact]
    public async Task A_conforming_path_reaches_the_root()
    {
        (PathResult strict, _) = await CheckAsync(new Shape(), new Shape());
        Assert.Contains(strict.Findings, f => f.Code == FindingCode.ChainTrusted);
        Assert.Null(Nonconforming(strict));
        // No revocation evidence here: open, not refused.
        Assert.Equal(ChainVerdict.Indeterminate, strict.Verdict);
        Assert.Contains(strict.Findings, f => f.Code == FindingCode.RevocationUnknown);
    }

    public static TheoryData<string, Shape, Shape, string> Breaches => new()
    {
        { "CA basicConstraints not critical", new Shape(BasicConstraintsCritical: false), new Shape(), "Outside Issuing CA: a CA certificate whose basicConstraints is not critical" },
        { "CA without subject key identifier", new Shape(SubjectKeyId: false), new Shape(), "Outside Issuing CA: a CA certificate without a subject key identifier" },
        { "CA without authority key identifier", new Shape(AuthorityKeyId: false), new Shape(), "Outside Issuing CA: no authority key identifier" },
        { "leaf without authority key identifier", new Shape(), new Shape(AuthorityKeyId: false), "Pegawai: no authority key identifier" },
        { "leaf asserting keyCertSign", new Shape(), new Shape(KeyCertSign: true), "Pegawai: an end-entity certificate asserts keyCertSign" },
        { "leaf with name constraints", new Shape(), new Shape(NameConstraints: true), "Pegawai: an end-entity certificate carries name constraints" },
        { "serial number zero", new Shape(), new Shape(Serial: [0x00]), "Pegawai: the serial number is zero" },
        { "serial number of 21 octets", new Shape(), new Shape(Serial: [0x01, .. new byte[20]]), "Pegawai: the serial number has 21 octets, more than 20" },
    };

    [Theory]
    [MemberData(nameof(Breaches))]
    public async Task A_certificate_breaking_a_profile_rule_is_not_trusted(string rule, Shape intermediate, Shape leaf, string expected)
    {
        (PathResult strict, PathResult algorithm) = await CheckAsync(intermediate, leaf);
        Assert.True(Nonconforming(strict)?.StartsWith(expected, StringComparison.Ordinal) == true, $"{rule}: {string.Join("; ", strict.Findings)}");
        Assert.Equal(ChainVerdict.Indeterminate, strict.Verdict);
        Assert.DoesNotContain(strict.Findings, f => f.Code == FindingCode.ChainTrusted);
        // The path algorithm alone lets it through: the refusal is the profile rule's.
        Assert.Contains(algorithm.Findings, f => f.Code == FindingCode.ChainTrusted);
    }

    [Fact]
    public async Task A_serial_number_of_twenty_octets_with_a_leading_zero_conforms()
    {
        // 20 octets of value, the first with its high bit set, needs a 0x00 before it in DER: 21 encoded, 20 counted.
        (PathResult strict, _) = await CheckAsync(new Shape(), new Shape(Serial: [0x00, 0x80, .. Enumerable.Repeat((byte)0x11, 19)]));
        Assert.Null(Nonconforming(strict));
        Assert.Contains(strict.Findings, f => f.Code == FindingCode.ChainTrusted);
    }

    [Fact]
    public async Task Path_length_and_depth_are_bounded()
    {
        // The root allows no CA below its intermediate (pathLen 0): a second intermediate breaks it, at either level.
        using ECDsa rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        X509Certificate2 root = Root(rootKey, pathLength: 0);
        var keys = Enumerable.Range(0, 3).Select(_ => ECDsa.Create(ECCurve.NamedCurves.nistP256)).ToArray();
        X509Certificate2 first = Issue("CA 1", keys[0], root, rootKey, ca: true, new Shape());
        X509Certificate2 second = Issue("CA 2", keys[1], first, keys[0], ca: true, new Shape());
        X509Certificate2 leaf = Issue("Pegawai", keys[2], second, keys[1], ca: false, new Shape());
        var evidence = new RevocationEvidence();
        evidence.Certificates.AddRange([first, second]);
        PathResult tooLong = await PathValidator.CheckAsync(new PathCheck(leaf, [root], Now, evidence) { TimeProven = true, Conformance = ConformanceLevel.PathAlgorithm });
        Assert.Contains(tooLong.Findings, f => f.Code == FindingCode.ChainNotTrusted);

        // Nine certificates, each CA allowing any depth: longer than any path Segel follows.
        using ECDsa deepRootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        X509Certificate2 deepRoot = Root(deepRootKey);
        var chain = new List<X509Certificate2>();
        (X509Certificate2 issuer, ECDsa issuerKey) = (deepRoot, deepRootKey);
        var made = new List<ECDsa>();
        for (int i = 1; i < Conformance.MaxPathLength; i++)
        {
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            made.Add(key);
            X509Certificate2 ca = Issue($"CA {i}", key, issuer, issuerKey, ca: true, new Shape());
            chain.Add(ca);
            (issuer, issuerKey) = (ca, key);
        }
        using ECDsa deepLeafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        X509Certificate2 deepLeaf = Issue("Pegawai", deepLeafKey, issuer, issuerKey, ca: false, new Shape());
        var deepEvidence = new RevocationEvidence();
        deepEvidence.Certificates.AddRange(chain);
        PathResult deep = await PathValidator.CheckAsync(new PathCheck(deepLeaf, [deepRoot], Now, deepEvidence) { TimeProven = true });
        Assert.StartsWith($"the path has {Conformance.MaxPathLength + 1} certificates", Nonconforming(deep), StringComparison.Ordinal);
        foreach (ECDsa key in keys.Concat(made))
        {
            key.Dispose();
        }
    }
}
