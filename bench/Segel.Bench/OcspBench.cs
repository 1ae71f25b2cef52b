using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Segel.Pki.Keys;
using Segel.Pki.Ocsp;
using Segel.Pki.Revocation;

/// <summary>
/// The responder's fresh answers in process, beside the raw limit in the same run: N requests, each with a new nonce,
/// answered by <see cref="OcspResponder"/> (parse, status, write, sign) on one thread, and N bare ECDSA P-256
/// signatures of a response-sized message with the same key. What lies between the two is the responder's own cost;
/// bench/ocsp.sh measures the whole thing over HTTP.
/// </summary>
internal static class OcspBench
{
    public static async Task<int> RunAsync(int count)
    {
        using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Bench Issuing CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using X509Certificate2 ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        using SoftwareSigningKey responderKey = SoftwareSigningKey.Generate("soft:ocsp", KeyAlgorithm.EcdsaP256);
        using X509Certificate2 responder = new CertificateRequest(new X500DistinguishedName("CN=Bench OCSP"), responderKey.PublicKey, HashAlgorithmName.SHA256)
            .Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), [1, 2, 3]);
        var ocsp = new OcspResponder([new OcspAuthority("issuing-ca", ca, responder, responderKey)], new AllGood(), TimeProvider.System);

        var id = new Org.BouncyCastle.Ocsp.CertificateID(Org.BouncyCastle.Ocsp.CertificateID.DigestSha1,
            new Org.BouncyCastle.X509.X509Certificate(ca.RawData), Org.BouncyCastle.Math.BigInteger.ValueOf(0x1234567));
        byte[][] requests = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            var generator = new Org.BouncyCastle.Ocsp.OcspReqGenerator();
            generator.AddRequest(id);
            byte[] nonce = RandomNumberGenerator.GetBytes(16);
            generator.SetRequestExtensions(new Org.BouncyCastle.Asn1.X509.X509Extensions(new Dictionary<Org.BouncyCastle.Asn1.DerObjectIdentifier, Org.BouncyCastle.Asn1.X509.X509Extension>
            {
                [Org.BouncyCastle.Asn1.Ocsp.OcspObjectIdentifiers.PkixOcspNonce] = new(false, new Org.BouncyCastle.Asn1.DerOctetString(new Org.BouncyCastle.Asn1.DerOctetString(nonce))),
            }));
            requests[i] = generator.Generate().GetEncoded();
        }
        for (int i = 0; i < Math.Min(count, 2000); i++)
        {
            await ocsp.RespondAsync(requests[i]); // warm-up: JIT and the status cache
            responderKey.SignData(requests[i]);
        }

        byte[] message = RandomNumberGenerator.GetBytes(200);
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            responderKey.SignData(message);
        }
        double raw = watch.Elapsed.TotalSeconds;
        watch.Restart();
        for (int i = 0; i < count; i++)
        {
            await ocsp.RespondAsync(requests[i]);
        }
        double fresh = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"ecdsa-p256-sign per_s={count / raw:F0} us={raw / count * 1e6:F1}");
        Console.WriteLine($"ocsp-fresh per_s={count / fresh:F0} us={fresh / count * 1e6:F1} ratio={raw / fresh:F2}");
        return 0;
    }

    private sealed class AllGood : ICertificateStatusSource
    {
        public ValueTask<CertificateStatus> GetStatusAsync(string issuerSlug, string serialHex, CancellationToken cancellationToken) =>
            ValueTask.FromResult(CertificateStatus.Good);
    }
}
