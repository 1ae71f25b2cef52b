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
/// ASiC-E containers (ETSI EN 319 162-1) with CAdES signatures over files of any type, checked by tools nobody here
/// wrote: `unzip -t` reads the ZIP, the local header holds `mimetype` stored first, `openssl cms -verify` checks the
/// signature over the manifest, and `sha256sum` agrees with the manifest's digests.
/// </summary>
public sealed class AsicContainerTests(SigningFixture fixture) : IClassFixture<SigningFixture>
{
    private static readonly byte[] Workbook = RandomNumberGenerator.GetBytes(200_000);
    private static readonly byte[] Scan = RandomNumberGenerator.GetBytes(50_000);
    private static readonly byte[] Note = Encoding.UTF8.GetBytes("Catatan rapat: anggaran disetujui.\n");

    private async Task<string> ContainerAsync(string name, ITimeStampClient? timeStamps = null)
    {
        string path = fixture.Directory.File(name);
        await using var output = new FileStream(path, FileMode.Create, FileAccess.ReadWrite);
        await AsicWriter.SignAsync(output,
            [new("laporan anggaran.xlsx", new MemoryStream(Workbook)), new("pindaian/ktp.jpg", new MemoryStream(Scan)), new("catatan.txt", new MemoryStream(Note))],
            fixture.Identity, timeStamps, fixture.Time.GetUtcNow());
        return path;
    }

    private async Task<ContainerReport> VerifyAsync(string path)
    {
        await using FileStream input = File.OpenRead(path);
        return await AsicVerifier.VerifyAsync(input, [fixture.Identity.Chain[^1]], fixture.Online);
    }

    [Fact]
    public async Task Files_of_any_type_signed_as_one_container_are_read_by_unzip_and_openssl()
    {
        string path = await ContainerAsync("three.asice", fixture.TimeStamps);
        Assert.Contains("No errors detected", Tool.Run("unzip", "-t", path).Check().Output, StringComparison.Ordinal);

        // §A.1: the first local header is mimetype, stored, with no extra field; the type starts at byte 38.
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(0, BitConverter.ToUInt16(bytes, 8));
        Assert.Equal(0, BitConverter.ToUInt16(bytes, 28));
        Assert.Equal("mimetype" + AsicE.MimeType, Encoding.ASCII.GetString(bytes, 30, 8 + AsicE.MimeType.Length));

        string unpacked = fixture.Directory.File("three-unpacked");
        Tool.Run("unzip", "-o", "-q", path, "-d", unpacked).Check();
        string manifest = Path.Combine(unpacked, "META-INF", "ASiCManifest001.xml");
        string signature = Path.Combine(unpacked, "META-INF", "signature001.p7s");
        string verified = Tool.OpenSsl("cms", "-verify", "-binary", "-inform", "DER", "-in", signature, "-content", manifest,
            "-CAfile", fixture.ChainPem, "-purpose", "any", "-out", "/dev/null").Check().Output;
        Assert.Contains("Verification successful", verified, StringComparison.Ordinal);
        // CAdES B-B's signing-time and signing-certificate-v2, and B-T's signature time-stamp, as openssl reads them.
        string printed = Tool.OpenSsl("cms", "-cmsout", "-print", "-inform", "DER", "-in", signature).Check().Stdout;
        Assert.Contains("signingTime", printed, StringComparison.Ordinal);
        Assert.Contains("id-smime-aa-signingCertificateV2", printed, StringComparison.Ordinal);
        Assert.Contains("id-smime-aa-timeStampToken", printed, StringComparison.Ordinal);

        string xml = File.ReadAllText(manifest);
        foreach (string file in new[] { "laporan anggaran.xlsx", "pindaian/ktp.jpg", "catatan.txt" })
        {
            string hex = Tool.Run("sha256sum", Path.Combine(unpacked, file)).Check().Stdout.Split(' ')[0];
            Assert.Contains(Convert.ToBase64String(Convert.FromHexString(hex)), xml, StringComparison.Ordinal);
        }

        ContainerReport report = await VerifyAsync(path);
        Assert.Equal(SignatureConclusion.Valid, report.Conclusion);
        ContainerSignature only = Assert.Single(report.Signatures);
        Assert.Equal(["laporan anggaran.xlsx", "pindaian/ktp.jpg", "catatan.txt"], only.SignedFiles);
        Assert.Contains(only.Report.Findings, f => f.Code == FindingCode.ContainerFilesIntact);
        Assert.Contains(only.Report.Findings, f => f.Code == FindingCode.TimestampValid);
        Assert.Contains("catatan.txt", ReportText.Render(report, System.Globalization.CultureInfo.GetCultureInfo("id")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_file_an_unsigned_file_and_a_compressed_mimetype_are_each_caught()
    {
        string path = await ContainerAsync("tampered.asice");
        Assert.Equal(SignatureConclusion.Valid, (await VerifyAsync(path)).Conclusion);

        string changed = Copy(path, "changed.asice", zip =>
        {
            zip.GetEntry("catatan.txt")!.Delete();
            using Stream s = zip.CreateEntry("catatan.txt").Open();
            s.Write(Encoding.UTF8.GetBytes("Catatan rapat: anggaran DITOLAK.\n"));
        });
        ContainerReport report = await VerifyAsync(changed);
        Assert.Equal(SignatureConclusion.Invalid, report.Conclusion);
        Assert.Contains(new Finding(FindingCode.ContainerFileChanged, "catatan.txt"), report.Signatures[0].Report.Findings);

        string added = Copy(path, "added.asice", zip =>
        {
            using Stream s = zip.CreateEntry("lampiran.txt").Open();
            s.Write("tidak ditandatangani"u8);
        });
        report = await VerifyAsync(added);
        Assert.Equal(SignatureConclusion.Indeterminate, report.Conclusion);
        Assert.Contains(new Finding(FindingCode.ContainerFileUnsigned, "lampiran.txt"), report.Findings);

        // The same entries, mimetype deflated: still a ZIP, no longer ASiC-E.
        string deflated = fixture.Directory.File("deflated.asice");
        using (ZipArchive source = ZipFile.OpenRead(path))
        using (ZipArchive target = ZipFile.Open(deflated, ZipArchiveMode.Create))
        {
            foreach (ZipArchiveEntry entry in source.Entries)
            {
                using Stream from = entry.Open();
                using Stream to = target.CreateEntry(entry.FullName, CompressionLevel.Optimal).Open();
                from.CopyTo(to);
            }
        }
        Assert.Contains("No errors detected", Tool.Run("unzip", "-t", deflated).Check().Output, StringComparison.Ordinal);
        report = await VerifyAsync(deflated);
        Assert.Equal(SignatureConclusion.Invalid, report.Conclusion);
        Assert.Contains(report.Findings, f => f.Code == FindingCode.ContainerMalformed);
    }

    [Theory]
    [InlineData("../keluar.txt")]
    [InlineData("META-INF/signature002.p7s")]
    [InlineData("mimetype")]
    [InlineData("/mutlak.txt")]
    [InlineData("a\\b.txt")]
    [InlineData("C:/windows.txt")]
    public async Task A_name_that_could_escape_or_pose_as_the_container_s_own_part_is_refused(string name)
    {
        using var output = new MemoryStream();
        var refused = await Assert.ThrowsAsync<SignatureInputException>(() => AsicWriter.SignAsync(output, [new(name, new MemoryStream(Note))], fixture.Identity, null, fixture.Time.GetUtcNow()));
        Assert.Equal("Error.ContainerFileName", refused.Text.Key);
    }

    [Fact]
    public async Task Two_names_that_differ_only_in_case_are_refused()
    {
        using var output = new MemoryStream();
        var refused = await Assert.ThrowsAsync<SignatureInputException>(() => AsicWriter.SignAsync(output,
            [new("Surat.txt", new MemoryStream(Note)), new("surat.txt", new MemoryStream(Note))], fixture.Identity, null, fixture.Time.GetUtcNow()));
        Assert.Equal("Error.ContainerFileTwice", refused.Text.Key);
    }

    [Fact]
    public async Task A_file_that_is_not_a_zip_is_a_clear_error()
    {
        using var input = new MemoryStream(Note);
        await Assert.ThrowsAsync<Parsing.PdfFormatException>(() => AsicVerifier.VerifyAsync(input, [fixture.Identity.Chain[^1]]));
    }

    [Fact]
    public async Task A_zip_declaring_more_entries_than_a_container_may_hold_is_refused_before_its_directory_is_read()
    {
        using var many = new MemoryStream();
        using (var zip = new ZipArchive(many, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (int i = 0; i < AsicWriter.MaxFiles + 100; i++)
            {
                zip.CreateEntry($"e{i}.txt", CompressionLevel.NoCompression);
            }
        }
        many.Position = 0;
        var refused = await Assert.ThrowsAsync<Parsing.PdfFormatException>(() => AsicVerifier.VerifyAsync(many, [fixture.Identity.Chain[^1]]));
        Assert.Contains("entries", refused.Message, StringComparison.Ordinal);
    }

    private string Copy(string path, string name, Action<ZipArchive> change)
    {
        string copy = fixture.Directory.File(name);
        File.Copy(path, copy, overwrite: true);
        using (ZipArchive zip = ZipFile.Open(copy, ZipArchiveMode.Update))
        {
            change(zip);
        }
        return copy;
    }
}
