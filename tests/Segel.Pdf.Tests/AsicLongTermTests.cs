using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Segel.Pdf.Containers;
using Segel.Pdf.Signing;
using Segel.Pdf.Verification;
using Segel.Pki.Validation;
using Segel.Testing;

namespace Segel.Pdf.Tests;

/// <summary>
/// CAdES B-LT and ASiC-E B-LTA (ETSI EN 319 122-1, EN 319 162-1 §4.4.5): the validation data inside the signature, so
/// that it verifies with nothing fetched, and the archive time-stamp over the whole container — checked by
/// `openssl cms -verify`, `openssl cms -cmsout -print`, `openssl ts -verify` and `sha256sum`.
/// </summary>
public sealed class AsicLongTermTests(SigningFixture fixture) : IClassFixture<SigningFixture>
{
    private static readonly byte[] Sheet = RandomNumberGenerator.GetBytes(120_000);
    private static readonly byte[] Note = Encoding.UTF8.GetBytes("Notulen rapat koordinasi anggaran.\n");

    private System.Security.Cryptography.X509Certificates.X509Certificate2[] Root => [fixture.Identity.Chain[^1]];

    private CadesOptions Level(PadesLevel level) => new(level, fixture.Time.GetUtcNow()) { TimeStamps = fixture.TimeStamps, Revocation = fixture.Revocation };

    private async Task<string> ContainerAsync(string name, PadesLevel level)
    {
        string path = fixture.Directory.File(name);
        await using var output = new FileStream(path, FileMode.Create, FileAccess.ReadWrite);
        await AsicWriter.SignAsync(output, [new("rekap.xlsx", new MemoryStream(Sheet)), new("notulen.txt", new MemoryStream(Note))], fixture.Identity, Level(level));
        return path;
    }

    private async Task<ContainerReport> VerifyOfflineAsync(string path)
    {
        await using FileStream input = File.OpenRead(path);
        return await AsicVerifier.VerifyAsync(input, Root, new PdfVerificationOptions { Now = fixture.Time.GetUtcNow() });
    }

    private string Unpack(string path)
    {
        string folder = fixture.Directory.File(Path.GetFileNameWithoutExtension(path) + "-unpacked");
        Tool.Run("unzip", "-o", "-q", path, "-d", folder).Check();
        return folder;
    }

    [Fact]
    public async Task B_LT_carries_its_validation_data_in_the_signature_so_it_verifies_with_nothing_fetched()
    {
        string lt = await ContainerAsync("b-lt.asice", PadesLevel.BaselineLT);
        string folder = Unpack(lt);
        string signature = Path.Combine(folder, "META-INF", "signature001.p7s");
        Assert.Contains("Verification successful", Tool.OpenSsl("cms", "-verify", "-binary", "-inform", "DER", "-in", signature,
            "-content", Path.Combine(folder, "META-INF", "ASiCManifest001.xml"), "-CAfile", fixture.ChainPem, "-purpose", "any", "-out", "/dev/null").Check().Output,
            StringComparison.Ordinal);
        // OpenSSL reads the OCSP responses among the SignedData's revocation values (RFC 5940's other form).
        string printed = Tool.OpenSsl("cms", "-cmsout", "-print", "-inform", "DER", "-in", signature).Check().Stdout;
        Assert.Contains("1.3.6.1.5.5.7.16.2", printed, StringComparison.Ordinal);

        ContainerReport report = await VerifyOfflineAsync(lt);
        ContainerSignature only = Assert.Single(report.Signatures);
        Assert.True(report.Conclusion == SignatureConclusion.Valid, string.Join("\n", only.Report.Findings));
        Assert.Contains(only.Report.Findings.Select(f => f.ToString()), f => f.StartsWith("revocation-good:", StringComparison.Ordinal));
        Assert.Contains(only.Report.Findings.Select(f => f.ToString()), f => f.StartsWith("tsa-revocation-good", StringComparison.Ordinal));

        // B-T has no such data: offline, the same check cannot decide.
        Assert.Equal(SignatureConclusion.Indeterminate, (await VerifyOfflineAsync(await ContainerAsync("b-t.asice", PadesLevel.BaselineT))).Conclusion);

        // A detached signature over one file carries the same data.
        string letter = fixture.Directory.File("surat.txt");
        await File.WriteAllBytesAsync(letter, Note);
        byte[] p7s = await CadesSigner.SignAsync(fixture.Identity, sink => sink.Write(Note), Level(PadesLevel.BaselineLT));
        string p7sPath = fixture.Directory.File("surat.txt.p7s");
        await File.WriteAllBytesAsync(p7sPath, p7s);
        Assert.Contains("Verification successful", Tool.OpenSsl("cms", "-verify", "-binary", "-inform", "DER", "-in", p7sPath, "-content", letter,
            "-CAfile", fixture.ChainPem, "-purpose", "any", "-out", "/dev/null").Check().Output, StringComparison.Ordinal);
        SignatureReport detached = await DetachedSignature.VerifyAsync(p7s, Note, Root, new PdfVerificationOptions { Now = fixture.Time.GetUtcNow() });
        Assert.True(detached.Conclusion == SignatureConclusion.Valid, string.Join("\n", detached.Findings));
    }

    [Fact]
    public async Task B_LTA_adds_an_archive_time_stamp_over_every_part_that_openssl_accepts()
    {
        string lta = await ContainerAsync("b-lta.asice", PadesLevel.BaselineLTA);
        Assert.Contains("No errors detected", Tool.Run("unzip", "-t", lta).Check().Output, StringComparison.Ordinal);
        string folder = Unpack(lta);
        string archive = Path.Combine(folder, "META-INF", "ASiCArchiveManifest.xml");
        Tool.Result stamped = Tool.OpenSsl("ts", "-verify", "-data", archive, "-in", Path.Combine(folder, "META-INF", "timestamp001.tst"), "-token_in", "-CAfile", fixture.ChainPem);
        Assert.True(stamped.ExitCode == 0, stamped.Output);
        Assert.Contains("Verification: OK", stamped.Stdout, StringComparison.Ordinal);
        // The archive manifest names every part with the digest sha256sum computes: the files, the manifest and the signature.
        string xml = File.ReadAllText(archive);
        Assert.Contains("application/vnd.etsi.timestamp-token", xml, StringComparison.Ordinal);
        foreach (string part in new[] { "rekap.xlsx", "notulen.txt", "META-INF/ASiCManifest001.xml", "META-INF/signature001.p7s" })
        {
            string hex = Tool.Run("sha256sum", Path.Combine(folder, part)).Check().Stdout.Split(' ')[0];
            Assert.Contains(Convert.ToBase64String(Convert.FromHexString(hex)), xml, StringComparison.Ordinal);
        }

        ContainerReport report = await VerifyOfflineAsync(lta);
        Assert.True(report.Conclusion == SignatureConclusion.Valid, ReportText.Render(report, System.Globalization.CultureInfo.GetCultureInfo("en")));
        Assert.Equal(2, report.Signatures.Count);
        SignatureReport archived = report.Signatures[1].Report;
        Assert.Equal("timestamp", archived.Kind);
        Assert.Equal("META-INF/timestamp001.tst", archived.Field);
        Assert.Contains(new Finding(FindingCode.ContainerFilesIntact, "4"), archived.Findings);
        Assert.Contains("Cap waktu arsip 2", ReportText.Render(report), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_part_changed_after_the_archive_time_stamp_breaks_it()
    {
        string lta = await ContainerAsync("archived.asice", PadesLevel.BaselineLTA);

        // Another valid signature by the same signer over the same manifest, swapped in: the signature still verifies,
        // but it is not the one the archive time-stamp covers.
        string folder = Unpack(lta);
        byte[] manifest = await File.ReadAllBytesAsync(Path.Combine(folder, "META-INF", "ASiCManifest001.xml"));
        byte[] other = await CadesSigner.SignAsync(fixture.Identity, sink => sink.Write(manifest), Level(PadesLevel.BaselineLT));
        string swapped = Copy(lta, "swapped.asice", AsicWriter.SignatureName, other);
        ContainerReport report = await VerifyOfflineAsync(swapped);
        Assert.Equal(SignatureConclusion.Invalid, report.Conclusion);
        Assert.Equal(SignatureConclusion.Valid, report.Signatures[0].Report.Conclusion);
        Assert.Contains(new Finding(FindingCode.ContainerFileChanged, AsicWriter.SignatureName), report.Signatures[1].Report.Findings);

        // The archive manifest itself edited (a media type): the time-stamp is no longer over it.
        string xml = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(Path.Combine(folder, "META-INF", "ASiCArchiveManifest.xml")));
        string edited = Copy(lta, "edited.asice", AsicE.ArchiveManifestName, Encoding.UTF8.GetBytes(xml.Replace("\"text/xml\"", "\"application/xml\"", StringComparison.Ordinal)));
        report = await VerifyOfflineAsync(edited);
        Assert.Equal(SignatureConclusion.Invalid, report.Conclusion);
        Assert.Equal(SubIndication.HashFailure, report.Signatures[1].Report.SubIndication);

        // The token gone: the archive manifest is malformed, the signature alone still holds.
        string lost = Copy(lta, "lost.asice", AsicE.ArchiveTimeStampName, null);
        report = await VerifyOfflineAsync(lost);
        Assert.Equal(SignatureConclusion.Invalid, report.Conclusion);
        Assert.Contains(new Finding(FindingCode.ContainerMalformed, AsicE.ArchiveTimeStampName), report.Signatures[1].Report.Findings);
    }

    [Fact]
    public async Task A_B_T_container_is_extended_to_B_LTA_and_renewed_with_a_second_archive_time_stamp()
    {
        string bt = await ContainerAsync("to-extend.asice", PadesLevel.BaselineT);
        string once = await ExtendAsync(fixture, bt, "extended-once.asice");
        ContainerReport report = await VerifyOfflineAsync(once);
        Assert.True(report.Conclusion == SignatureConclusion.Valid, ReportText.Render(report, System.Globalization.CultureInfo.GetCultureInfo("en")));
        Assert.Equal(2, report.Signatures.Count);

        string twice = await ExtendAsync(fixture, once, "extended-twice.asice");
        string folder = Unpack(twice);
        // The first archive manifest kept under a numbered name with its token; each token verifies over its own manifest.
        foreach ((string manifest, string token) in new[] { ("ASiCArchiveManifest001.xml", "timestamp001.tst"), ("ASiCArchiveManifest.xml", "timestamp002.tst") })
        {
            Tool.Result stamped = Tool.OpenSsl("ts", "-verify", "-data", Path.Combine(folder, "META-INF", manifest), "-in", Path.Combine(folder, "META-INF", token),
                "-token_in", "-CAfile", fixture.ChainPem);
            Assert.True(stamped.ExitCode == 0, manifest + ": " + stamped.Output);
        }
        Assert.Contains("META-INF/timestamp001.tst", await File.ReadAllTextAsync(Path.Combine(folder, "META-INF", "ASiCArchiveManifest.xml")), StringComparison.Ordinal);
        report = await VerifyOfflineAsync(twice);
        Assert.True(report.Conclusion == SignatureConclusion.Valid, ReportText.Render(report, System.Globalization.CultureInfo.GetCultureInfo("en")));
        Assert.Equal(["signature", "timestamp", "timestamp"], report.Signatures.Select(s => s.Report.Kind));
        Assert.Equal(["META-INF/timestamp001.tst", "META-INF/timestamp002.tst"], report.Signatures.Skip(1).Select(s => s.Report.Field));

        // Something that is not a container is a format error, not a crash.
        await using var notZip = new MemoryStream("%PDF-1.7"u8.ToArray());
        await Assert.ThrowsAsync<Segel.Pdf.Parsing.PdfFormatException>(() => AsicExtension.ExtendAsync(notZip, new MemoryStream(), Extension(fixture)));
    }

    internal static PdfExtensionOptions Extension(SigningFixture fixture) => new(fixture.TimeStamps, fixture.Revocation) { Now = fixture.Time.GetUtcNow() };

    internal static async Task<string> ExtendAsync(SigningFixture fixture, string path, string name)
    {
        string target = fixture.Directory.File(name);
        await using FileStream input = File.OpenRead(path);
        await using var output = new FileStream(target, FileMode.Create, FileAccess.ReadWrite);
        await AsicExtension.ExtendAsync(input, output, Extension(fixture));
        return target;
    }

    private string Copy(string path, string name, string entry, byte[]? content)
    {
        string copy = fixture.Directory.File(name);
        File.Copy(path, copy, overwrite: true);
        using ZipArchive zip = ZipFile.Open(copy, ZipArchiveMode.Update);
        zip.GetEntry(entry)!.Delete();
        if (content is not null)
        {
            using Stream s = zip.CreateEntry(entry).Open();
            s.Write(content);
        }
        return copy;
    }
}

/// <summary>
/// Years on — after the signer's and the first TSA's certificates expired — a container holds only if its archive
/// time-stamp was renewed in time. Its own fixture: the clock runs through seven years.
/// </summary>
public sealed class AsicRenewalOverYearsTests(SigningFixture fixture) : IClassFixture<SigningFixture>
{
    [Fact]
    public async Task A_renewed_container_outlives_its_signer_and_first_TSA_certificates_and_one_not_renewed_does_not()
    {
        DateTimeOffset signedAt = fixture.Time.GetUtcNow();
        string signed = fixture.Directory.File("years.asice");
        await using (var output = new FileStream(signed, FileMode.Create, FileAccess.ReadWrite))
        {
            await AsicWriter.SignAsync(output, [new("laporan.txt", new MemoryStream("Laporan tahunan.\n"u8.ToArray()))], fixture.Identity,
                new CadesOptions(PadesLevel.BaselineLTA, signedAt) { TimeStamps = fixture.TimeStamps, Revocation = fixture.Revocation });
        }

        // Four years and eight months on, the first TSA certificate (six years) is replaced and the container renewed.
        fixture.Time.SetUtcNow(signedAt.AddYears(4).AddMonths(8));
        Assert.True(await fixture.RenewServicesAsync() >= 1);
        string renewed = await AsicLongTermTests.ExtendAsync(fixture, signed, "years-renewed.asice");

        // Seven years on, the holder's certificate (two years) and the first TSA's have both expired.
        fixture.Time.SetUtcNow(signedAt.AddYears(7));
        await fixture.RenewServicesAsync();
        Assert.True(fixture.Identity.Certificate.NotAfter < fixture.Time.GetUtcNow().UtcDateTime);
        PdfVerificationOptions now = fixture.Online with { Now = fixture.Time.GetUtcNow() };

        ContainerReport kept;
        await using (FileStream input = File.OpenRead(renewed))
        {
            kept = await AsicVerifier.VerifyAsync(input, [fixture.Identity.Chain[^1]], now);
        }
        Assert.True(kept.Conclusion == SignatureConclusion.Valid, ReportText.Render(kept, System.Globalization.CultureInfo.GetCultureInfo("en")));
        Assert.Equal(signedAt, kept.Signatures[0].Report.TimeStamp);

        ContainerReport lapsed;
        await using (FileStream input = File.OpenRead(signed))
        {
            lapsed = await AsicVerifier.VerifyAsync(input, [fixture.Identity.Chain[^1]], now);
        }
        Assert.Equal(SignatureConclusion.Indeterminate, lapsed.Conclusion);
        Assert.Equal(SubIndication.OutOfBoundsNoPoe, lapsed.Signatures[0].Report.SubIndication);
    }
}
