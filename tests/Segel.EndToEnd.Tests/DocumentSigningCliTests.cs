using Segel.Testing;

namespace Segel.EndToEnd.Tests;

/// <summary>
/// `segel sign` and `segel verify` on files that are not PDFs (Pasal 11: "other electronic documents"): a workbook and
/// a scan signed together as an ASiC-E container, one letter as a detached .p7s — each read by `unzip -t` and
/// `openssl cms -verify`, each refused once a byte of a signed file changes.
/// </summary>
public sealed class DocumentSigningCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string Data => _dir.File("ca");

    [Fact]
    public void Files_of_any_type_are_signed_as_a_container_or_a_detached_signature_and_verified()
    {
        Segel.Ok(_dir.Path, "init", "--data", Data, "--base-url", "http://segel.tanahbumbukab.go.id");
        Segel.Ok(_dir.Path, "ca", "chain", "--data", Data, "--out", _dir.File("chain.pem"));
        Segel.Register(_dir.Path, Data, null, ("Siti Aminah", "siti@tanahbumbukab.go.id"));
        _dir.Write("pw.txt", "kata-sandi-rahasia\n");
        Segel.Ok(_dir.Path, ["cert", "issue", "--data", Data, .. Staff.IssueArguments("siti@tanahbumbukab.go.id"), "--name", "Siti Aminah",
            "--p12", _dir.File("siti.p12"), "--password-file", _dir.File("pw.txt")]);
        File.WriteAllBytes(_dir.File("anggaran.xlsx"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(300_000));
        File.WriteAllBytes(_dir.File("pindaian.jpg"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(80_000));
        _dir.Write("surat.txt", "Surat undangan rapat koordinasi.\n");

        string signed = Segel.Ok(_dir.Path, "sign", "--in", _dir.File("anggaran.xlsx"), "--in", _dir.File("pindaian.jpg"), "--out", _dir.File("berkas.asice"),
            "--p12", _dir.File("siti.p12"), "--password-file", _dir.File("pw.txt")).Stdout;
        Assert.Contains("2 file(s)", signed, StringComparison.Ordinal);
        Assert.Contains("No errors detected", Tool.Run("unzip", "-t", _dir.File("berkas.asice")).Check().Output, StringComparison.Ordinal);
        Tool.Run("unzip", "-o", "-q", _dir.File("berkas.asice"), "-d", _dir.File("unpacked")).Check();
        Assert.Contains("Verification successful", Tool.OpenSsl("cms", "-verify", "-binary", "-inform", "DER", "-in", _dir.File("unpacked/META-INF/signature001.p7s"),
            "-content", _dir.File("unpacked/META-INF/ASiCManifest001.xml"), "-CAfile", _dir.File("chain.pem"), "-purpose", "any", "-out", "/dev/null").Check().Output, StringComparison.Ordinal);

        // With the CA's own revocation data: valid, in Bahasa Indonesia by default.
        Tool.Result verified = Segel.Ok(_dir.Path, "verify", _dir.File("berkas.asice"), "--data", Data);
        Assert.Contains("Wadah: SAH (VALID)", verified.Stdout, StringComparison.Ordinal);
        Assert.Contains("anggaran.xlsx, pindaian.jpg", verified.Stdout, StringComparison.Ordinal);
        // Offline with only the roots: the chain holds but revocation is unknown, so not valid yet (exit 8).
        Tool.Result offline = Segel.Run(_dir.Path, "verify", _dir.File("berkas.asice"), "--trust", _dir.File("chain.pem"), "--offline", "--lang", "en");
        Assert.Equal(8, offline.ExitCode);
        Assert.Contains("Container: INDETERMINATE", offline.Stdout, StringComparison.Ordinal);

        // One changed byte of a signed file, inside the container: invalid, naming the file.
        using (var zip = System.IO.Compression.ZipFile.Open(_dir.File("berkas.asice"), System.IO.Compression.ZipArchiveMode.Update))
        {
            zip.GetEntry("pindaian.jpg")!.Delete();
            using Stream s = zip.CreateEntry("pindaian.jpg").Open();
            s.Write(new byte[80_000]);
        }
        Tool.Result tampered = Segel.Run(_dir.Path, "verify", _dir.File("berkas.asice"), "--data", Data, "--lang", "en");
        Assert.Equal(8, tampered.ExitCode);
        Assert.Contains("Container: INVALID", tampered.Stdout, StringComparison.Ordinal);
        Assert.Contains("A FILE WAS CHANGED after signing (pindaian.jpg)", tampered.Stdout, StringComparison.Ordinal);

        Segel.Ok(_dir.Path, "sign", "--in", _dir.File("surat.txt"), "--out", _dir.File("surat.txt.p7s"), "--p12", _dir.File("siti.p12"), "--password-file", _dir.File("pw.txt"));
        Assert.Contains("Verification successful", Tool.OpenSsl("cms", "-verify", "-binary", "-inform", "DER", "-in", _dir.File("surat.txt.p7s"),
            "-content", _dir.File("surat.txt"), "-CAfile", _dir.File("chain.pem"), "-purpose", "any", "-out", "/dev/null").Check().Output, StringComparison.Ordinal);
        Segel.Ok(_dir.Path, "verify", _dir.File("surat.txt.p7s"), "--content", _dir.File("surat.txt"), "--data", Data);
        _dir.Write("surat.txt", "Surat undangan rapat koordinasi (diubah).\n");
        Assert.Equal(8, Segel.Run(_dir.Path, "verify", _dir.File("surat.txt.p7s"), "--content", _dir.File("surat.txt"), "--data", Data).ExitCode);

        // Mistakes are one line and a non-zero exit.
        Tool.Result two = Segel.Run(_dir.Path, "sign", "--in", _dir.File("surat.txt"), "--in", _dir.File("anggaran.xlsx"), "--out", _dir.File("x.p7s"),
            "--p12", _dir.File("siti.p12"), "--password-file", _dir.File("pw.txt"));
        Assert.Equal(2, two.ExitCode);
        Assert.Contains("one --in", two.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, Segel.Run(_dir.Path, "verify", _dir.File("surat.txt"), "--data", Data).ExitCode);
        Assert.Equal(2, Segel.Run(_dir.Path, "verify", _dir.File("surat.txt.p7s"), "--data", Data).ExitCode);
    }

    public void Dispose() => _dir.Dispose();
}
