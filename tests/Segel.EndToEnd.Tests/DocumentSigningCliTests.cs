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

        // The holder signs with the key Segel keeps (account password and key passphrase); the container is recorded
        // and checkable at the public page, and the operator cannot do it for them.
        Segel.Register(_dir.Path, Data, null, ("Dewi Lestari", "dewi@tanahbumbukab.go.id"));
        string account = _dir.Write("account.txt", "sandi-akun-yang-cukup-panjang\n");
        string keyPassphrase = _dir.Write("passphrase.txt", "kunci rahasia pemegang sertifikat\n");
        // (An RA officer, whom `users certify` gives a kept key; officers sign in with an authenticator's code too.)
        string added = Segel.Ok(_dir.Path, "users", "add", "--data", Data, "--username", "dewi", "--name", "Dewi Lestari", "--role", "ra-officer",
            "--employee", Staff.Nip("dewi@tanahbumbukab.go.id"), "--password-file", account).Stdout;
        string secret = System.Text.RegularExpressions.Regex.Match(added, "secret=([A-Z2-7]+)").Groups[1].Value;
        Segel.Ok(_dir.Path, "users", "certify", "--data", Data, "--username", "dewi", "--passphrase-file", keyPassphrase);
        string kept = Segel.Ok(_dir.Path, "sign", "--in", _dir.File("anggaran.xlsx"), "--in", _dir.File("surat.txt"), "--out", _dir.File("dewi.asice"),
            "--data", Data, "--user", "dewi", "--password-file", account, "--passphrase-file", keyPassphrase, "--totp", Code(secret), "--level", "B-LTA").Stdout;
        Assert.Contains("/verify/", kept, StringComparison.Ordinal);
        Assert.Contains("CAdES B-LTA", kept, StringComparison.Ordinal);
        Assert.Contains("Wadah: SAH (VALID)", Segel.Ok(_dir.Path, "verify", _dir.File("dewi.asice"), "--data", Data).Stdout, StringComparison.Ordinal);
        // B-LT and up carry their OCSP responses: offline, with the roots alone, the verdict is the same; B-LTA's archive time-stamp is shown.
        Tool.Result keptOffline = Segel.Ok(_dir.Path, "verify", _dir.File("dewi.asice"), "--trust", _dir.File("chain.pem"), "--offline", "--lang", "en");
        Assert.Contains("Container: VALID", keptOffline.Stdout, StringComparison.Ordinal);
        Assert.Contains("Archive time-stamp 2 (META-INF/timestamp001.tst): VALID", keptOffline.Stdout, StringComparison.Ordinal);
        // Renewed with the data folder's own time-stamping authority: a second archive time-stamp over all of it.
        Assert.Contains("ASiC-E B-LTA", Segel.Ok(_dir.Path, "pdf", "extend", _dir.File("dewi.asice"), "--out", _dir.File("dewi-renewed.asice"), "--data", Data).Stdout,
            StringComparison.Ordinal);
        Tool.Result renewed = Segel.Ok(_dir.Path, "verify", _dir.File("dewi-renewed.asice"), "--data", Data, "--lang", "en");
        Assert.Contains("Container: VALID", renewed.Stdout, StringComparison.Ordinal);
        Assert.Contains("Archive time-stamp 3 (META-INF/timestamp002.tst): VALID", renewed.Stdout, StringComparison.Ordinal);

        // A holder (another officer) signs one file with the kept key as a detached .p7s (B-LT by default) that openssl and an offline check accept.
        Segel.Register(_dir.Path, Data, null, ("Rina Wati", "rina@tanahbumbukab.go.id"));
        string rinaAccount = _dir.Write("rina-account.txt", "kata-sandi-akun-yang-cukup-panjang\n");
        string rinaAdded = Segel.Ok(_dir.Path, "users", "add", "--data", Data, "--username", "rina", "--name", "Rina Wati", "--role", "ra-officer",
            "--employee", Staff.Nip("rina@tanahbumbukab.go.id"), "--password-file", rinaAccount).Stdout;
        string rinaSecret = System.Text.RegularExpressions.Regex.Match(rinaAdded, "secret=([A-Z2-7]+)").Groups[1].Value;
        Segel.Ok(_dir.Path, "users", "certify", "--data", Data, "--username", "rina", "--passphrase-file", keyPassphrase);
        string rinaSigned = Segel.Ok(_dir.Path, "sign", "--in", _dir.File("surat.txt"), "--out", _dir.File("surat-rina.txt.p7s"), "--data", Data, "--user", "rina",
            "--password-file", rinaAccount, "--passphrase-file", keyPassphrase, "--totp", Code(rinaSecret)).Stdout;
        Assert.Contains("CAdES B-LT, detached", rinaSigned, StringComparison.Ordinal);
        Assert.Contains("Verification successful", Tool.OpenSsl("cms", "-verify", "-binary", "-inform", "DER", "-in", _dir.File("surat-rina.txt.p7s"),
            "-content", _dir.File("surat.txt"), "-CAfile", _dir.File("chain.pem"), "-purpose", "any", "-out", "/dev/null").Check().Output, StringComparison.Ordinal);
        Segel.Ok(_dir.Path, "verify", _dir.File("surat-rina.txt.p7s"), "--content", _dir.File("surat.txt"), "--trust", _dir.File("chain.pem"), "--offline");
        Assert.Equal(2, Segel.Run(_dir.Path, "sign", "--in", _dir.File("surat.txt"), "--out", _dir.File("z.p7s"), "--data", Data, "--user", "rina",
            "--password-file", rinaAccount, "--passphrase-file", keyPassphrase, "--level", "B-LTA").ExitCode);
        Tool.Result wrongKey = Segel.Run(_dir.Path, "sign", "--in", _dir.File("surat.txt"), "--out", _dir.File("y.asice"), "--data", Data, "--user", "dewi",
            "--password-file", account, "--passphrase-file", _dir.Write("wrong.txt", "bukan passphrase saya\n"), "--totp", Code(secret, 31));
        Assert.NotEqual(0, wrongKey.ExitCode);
        Assert.False(File.Exists(_dir.File("y.asice")));

        // Mistakes are one line and a non-zero exit.
        Tool.Result two = Segel.Run(_dir.Path, "sign", "--in", _dir.File("surat.txt"), "--in", _dir.File("anggaran.xlsx"), "--out", _dir.File("x.p7s"),
            "--p12", _dir.File("siti.p12"), "--password-file", _dir.File("pw.txt"));
        Assert.Equal(2, two.ExitCode);
        Assert.Contains("one --in", two.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, Segel.Run(_dir.Path, "verify", _dir.File("surat.txt"), "--data", Data).ExitCode);
        Assert.Equal(2, Segel.Run(_dir.Path, "verify", _dir.File("surat.txt.p7s"), "--data", Data).ExitCode);
    }

    private static string Code(string secret, int ahead = 0) =>
        new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow.AddSeconds(ahead));

    public void Dispose() => _dir.Dispose();
}
