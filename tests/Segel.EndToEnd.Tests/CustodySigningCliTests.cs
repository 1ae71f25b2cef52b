using System.Text.RegularExpressions;
using OtpNet;
using Segel.Testing;

namespace Segel.EndToEnd.Tests;

/// <summary>`segel pdf sign --user`: a holder signs at the console with the key Segel keeps; pdfsig and qpdf check the result.</summary>
public sealed partial class CustodySigningCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void A_holder_signs_with_the_key_segel_keeps_and_nobody_else_can()
    {
        string data = _dir.File("ca");
        Segel.Ok(_dir.Path, "init", "--data", data);
        _dir.Write("staff.csv", "nip,nik,name,position,agency_code,agency_name,work_unit,email\n" +
            "198203102006041002,6310011003820003,Rahmat Hidayat,Sandiman,DISKOMINFO,Dinas Komunikasi dan Informatika,,rahmat@tanahbumbukab.go.id\n");
        Segel.Ok(_dir.Path, "employees", "import", "--data", data, "--file", _dir.File("staff.csv"), "--no-accounts");
        string password = _dir.Write("password.txt", "sandi-yang-cukup-panjang\n");
        string passphrase = _dir.Write("passphrase.txt", "kunci rahasia petugas RA\n");
        string added = Segel.Ok(_dir.Path, "users", "add", "--data", data, "--username", "rahmat", "--name", "Rahmat Hidayat", "--role", "ra-officer",
            "--employee", "198203102006041002", "--password-file", password).Stdout;
        string secret = SecretIn().Match(added).Groups[1].Value;
        Segel.Ok(_dir.Path, "users", "certify", "--data", data, "--username", "rahmat", "--passphrase-file", passphrase);
        string letter = _dir.Write("letter.pdf", "");
        File.WriteAllBytes(letter, SamplePdf.Letter("Nota Dinas 800/5/DISKOMINFO"));

        Tool.Result signed = Segel.Run(_dir.Path, "pdf", "sign", "--in", letter, "--out", _dir.File("signed.pdf"), "--data", data, "--user", "rahmat",
            "--password-file", password, "--passphrase-file", passphrase, "--totp", Code(secret), "--box", "360,72,200,70", "--reason", "Menyetujui");
        Assert.True(signed.ExitCode == 0, signed.Output);
        Assert.Contains("/verify/", signed.Stdout, StringComparison.Ordinal);
        Tool.Run("qpdf", "--check", _dir.File("signed.pdf")).Check();
        Segel.Ok(_dir.Path, "ca", "chain", "--data", data, "--out", _dir.File("chain.pem"));
        string chain = File.ReadAllText(_dir.File("chain.pem"));
        _dir.Write("root.pem", chain[chain.LastIndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)..]);
        Directory.CreateDirectory(_dir.File("nss"));
        Tool.Run("certutil", "-N", "-d", _dir.File("nss"), "--empty-password").Check();
        Tool.Run("certutil", "-A", "-n", "Segel Root", "-t", "CT,C,C", "-i", _dir.File("root.pem"), "-d", _dir.File("nss")).Check();
        // No server runs here to answer OCSP; the revocation data is in the file (B-LT), which pdfsig does not read.
        Tool.Result pdfsig = Tool.Run("pdfsig", "-nssdir", _dir.File("nss"), "-no-ocsp", _dir.File("signed.pdf"));
        Assert.True(pdfsig.Stdout.Contains("Signature is Valid", StringComparison.Ordinal), pdfsig.Output);
        Assert.Contains("Certificate is Trusted", pdfsig.Stdout, StringComparison.Ordinal);

        // A wrong passphrase, no TOTP, or no account at all: one plain line, a non-zero exit, no file.
        string wrong = _dir.Write("wrong.txt", "bukan passphrase saya\n");
        Tool.Result refused = Segel.Run(_dir.Path, "pdf", "sign", "--in", letter, "--out", _dir.File("x.pdf"), "--data", data, "--user", "rahmat",
            "--password-file", password, "--passphrase-file", wrong, "--totp", Code(secret, 31));
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("passphrase", refused.Stderr, StringComparison.OrdinalIgnoreCase);
        Tool.Result noTotp = Segel.Run(_dir.Path, "pdf", "sign", "--in", letter, "--out", _dir.File("x.pdf"), "--data", data, "--user", "rahmat",
            "--password-file", password, "--passphrase-file", passphrase);
        Assert.Contains("--totp", noTotp.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("x.pdf")));
    }

    private static string Code(string secret, int ahead = 0) => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow.AddSeconds(ahead));

    [GeneratedRegex(@"secret=([A-Z2-7]+)")]
    private static partial Regex SecretIn();

    public void Dispose() => _dir.Dispose();
}
