using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Segel.Pdf.Signing;
using Segel.Pki.Keys;

/// <summary>Signs one PDF N times in process (RSA-2048 software key, invisible PAdES B-B), into memory.</summary>
internal static class PdfBench
{
    public static async Task<int> RunAsync(int count, string pdfPath, string p12Path, string password)
    {
        byte[] pdf = File.ReadAllBytes(pdfPath);
        X509Certificate2Collection all = X509CertificateLoader.LoadPkcs12CollectionFromFile(p12Path, password);
        X509Certificate2 signer = all.First(c => c.HasPrivateKey);
        using var key = new SoftwareSigningKey("bench", KeyAlgorithm.Rsa2048, signer.GetRSAPrivateKey()!);
        var identity = new SigningIdentity(X509CertificateLoader.LoadCertificate(signer.RawData), all.Where(c => !c.HasPrivateKey).ToList(), key);
        var output = new MemoryStream(pdf.Length + 64 * 1024);
        for (int i = 0; i < 20; i++)
        {
            await PdfSigner.SignAsync(pdf, output, identity, new PdfSignatureOptions());
        }
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            await PdfSigner.SignAsync(pdf, output, identity, new PdfSignatureOptions());
        }
        double seconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  segel in-process: {count} signatures of {pdf.Length / 1048576.0:F2} MiB in {seconds:F2} s = {count / seconds:F1} signatures/s"));

        // Verification of the signed file (signature, digest, chain; offline, so revocation stays unknown).
        byte[] signed = output.ToArray();
        X509Certificate2[] anchors = [.. all.Where(c => !c.HasPrivateKey && c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData))];
        await Verifications(signed, anchors, count, "verifications");

        // The same file signed a second time: the first signature's later revision goes through the change analysis.
        var twice = new MemoryStream(signed.Length + 64 * 1024);
        await PdfSigner.SignAsync(signed, twice, identity, new PdfSignatureOptions());
        await Verifications(twice.ToArray(), anchors, count, "verifications of the twice-signed file");
        return 0;
    }

    private static async Task Verifications(byte[] file, X509Certificate2[] anchors, int count, string what)
    {
        for (int i = 0; i < 20; i++)
        {
            await Segel.Pdf.Verification.PdfVerifier.VerifyAsync(file, anchors);
        }
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            await Segel.Pdf.Verification.PdfVerifier.VerifyAsync(file, anchors);
        }
        double seconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  segel in-process: {count} {what} in {seconds:F2} s = {count / seconds:F1} verifications/s"));
    }
}
