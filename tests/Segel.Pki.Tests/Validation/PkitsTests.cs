using System.Security.Cryptography.X509Certificates;
using Segel.Pki.Validation;
using Xunit.Abstractions;

namespace Segel.Pki.Tests.Validation;

/// <summary>
/// NIST's Public Key Interoperability Test Suite (PKITS, from Debian's python3-cryptography-vectors) over Segel's
/// path validator: every test whose end-entity certificate is named Valid… or Invalid… (the expected outcome
/// with PKITS's default settings: any policy, no explicit policy required), with all of the suite's
/// certificates offered for path building and all of its CRLs as revocation evidence.
/// </summary>
public sealed class PkitsTests(ITestOutputHelper output)
{
    private const string Data = "/usr/lib/python3/dist-packages/cryptography_vectors/x509/PKITS_data";

    /// <summary>PKITS's valid tests whose certificates break a MUST of RFC 5280's profile (§4), which Segel holds outside certificates to.</summary>
    private static readonly string[] StrictlyRefused = ["ValidbasicConstraintsNotCriticalTest4EE"];

    [Fact]
    public async Task Segel_agrees_with_every_pkits_test()
    {
        Assert.True(Directory.Exists(Data), "python3-cryptography-vectors is not installed (scripts/test.sh installs it).");
        var certificates = Directory.GetFiles(Path.Combine(Data, "certs"), "*.crt").ToDictionary(f => Path.GetFileNameWithoutExtension(f)!, f => X509CertificateLoader.LoadCertificateFromFile(f));
        X509Certificate2 anchor = certificates["TrustAnchorRootCertificate"];
        var evidence = new RevocationEvidence();
        evidence.Certificates.AddRange(certificates.Values.Where(c => c != anchor));
        evidence.Crls.AddRange(Directory.GetFiles(Path.Combine(Data, "crls"), "*.crl").Select(File.ReadAllBytes));
        var at = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var wrong = new List<string>();
        var stricter = new List<string>();
        int count = 0;
        foreach ((string name, X509Certificate2 leaf) in certificates.Where(c => c.Key.EndsWith("EE", StringComparison.Ordinal) && (c.Key.StartsWith("Valid", StringComparison.Ordinal) || c.Key.StartsWith("Invalid", StringComparison.Ordinal))).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            count++;
            bool expected = name.StartsWith("Valid", StringComparison.Ordinal);
            // The suite is about path logic; it signs with DSA and keys of 1024 bits, so no algorithm policy applies.
            // It tests the path algorithm (§6), so RFC 5280's profile rules for certificates (§4) are not applied here.
            PathResult result = await PathValidator.CheckAsync(new PathCheck(leaf, [anchor], at, evidence)
            {
                TimeProven = true,
                Policy = AlgorithmPolicy.Any,
                Conformance = ConformanceLevel.PathAlgorithm,
            });
            (ChainVerdict verdict, IReadOnlyList<Finding> findings) = (result.Verdict, result.Findings);
            if ((verdict == ChainVerdict.Trusted) != expected)
            {
                wrong.Add($"{name}: expected {(expected ? "valid" : "invalid")}, got {verdict} ({string.Join("; ", findings)})");
            }
            // RFC 5280's profile rules on top refuse some paths the algorithm accepts, on purpose; never the other way.
            PathResult strict = await PathValidator.CheckAsync(new PathCheck(leaf, [anchor], at, evidence) { TimeProven = true, Policy = AlgorithmPolicy.Any });
            if ((strict.Verdict == ChainVerdict.Trusted) != (verdict == ChainVerdict.Trusted))
            {
                stricter.Add($"{name} ({strict.Findings.FirstOrDefault(f => f.Code == FindingCode.CertificateNonconforming)?.Detail})");
            }
        }
        output.WriteLine("Refused by the profile rules: " + string.Join(", ", stricter));
        Assert.Equal(StrictlyRefused, stricter.Select(s => s.Split(' ')[0]).ToArray());
        Assert.All(stricter, s => Assert.Contains("RFC 5280", s, StringComparison.Ordinal));
        output.WriteLine($"PKITS: {count} tests, {count - wrong.Count} agree.");
        Assert.True(count > 200, $"Only {count} PKITS tests were found.");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }
}
