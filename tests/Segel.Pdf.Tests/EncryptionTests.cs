using Segel.Pdf.Signing;
using Segel.Pdf.Verification;
using Segel.Testing;

namespace Segel.Pdf.Tests;

/// <summary>Encrypted PDFs, made by qpdf with each standard security revision, signed with their password.</summary>
public sealed class EncryptionTests(SigningFixture fixture) : IClassFixture<SigningFixture>
{
    public static TheoryData<string, string[]> Kinds => new()
    {
        { "rc4-40", ["40"] },
        { "rc4-128", ["128", "--use-aes=n"] },
        { "aes-128", ["128", "--use-aes=y"] },
        { "aes-256", ["256"] },
        { "aes-256-object-streams", ["256", "--", "--object-streams=generate"] },
    };

    private string Encrypt(string name, string user, string owner, string[] how)
    {
        string original = fixture.Write(SamplePdf.Letter(), name + ".plain.pdf");
        string encrypted = fixture.Directory.File(name + ".pdf");
        string[] rest = how.Contains("--") ? how[(Array.IndexOf(how, "--") + 1)..] : [];
        string[] bits = how.Contains("--") ? how[..Array.IndexOf(how, "--")] : how;
        Tool.Run("qpdf", ["--allow-weak-crypto", "--encrypt", user, owner, .. bits, "--", .. rest, original, encrypted]).Check();
        return encrypted;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Signs_with_the_user_password_so_that_qpdf_and_pdfsig_accept_it(string name, string[] how)
    {
        string encrypted = Encrypt(name, "rahasia", "pemilik", how);
        string signed = await fixture.SignAsync(File.ReadAllBytes(encrypted), name + ".signed.pdf", new PdfSignatureOptions { Password = "rahasia", Reason = "Menyetujui" });

        Assert.Contains("No syntax or stream encoding errors", Tool.Run("qpdf", "--check", "--password=rahasia", signed).Check().Stdout, StringComparison.Ordinal);
        Tool.Result pdfsig = Tool.Run("pdfsig", "-nssdir", fixture.NssDatabase, "-no-ocsp", "-upw", "rahasia", signed);
        Assert.True(pdfsig.ExitCode == 0, pdfsig.Output);
        foreach (string expected in new[] { "Signature is Valid", "Certificate is Trusted", "Total document signed" })
        {
            Assert.True(pdfsig.Stdout.Contains(expected, StringComparison.Ordinal), $"pdfsig does not say '{expected}':\n{pdfsig.Stdout}\n{pdfsig.Stderr}");
        }
        // The new strings are encrypted with the document's key: not in the file in the clear, and qpdf decrypts them.
        Assert.DoesNotContain("Menyetujui", System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(signed)), StringComparison.Ordinal);
        string decrypted = fixture.Directory.File(name + ".decrypted.pdf");
        Tool.Run("qpdf", "--password=rahasia", "--decrypt", "--qdf", "--object-streams=disable", signed, decrypted).Check();
        Assert.Contains("/Reason (Menyetujui)", System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(decrypted)), StringComparison.Ordinal);

        SignatureReport report = Assert.Single(await PdfVerifier.VerifyAsync(File.ReadAllBytes(signed), [fixture.Identity.Chain[^1]], fixture.Online with { Password = "pemilik" }));
        Assert.True(report.Conclusion == SignatureConclusion.Valid, string.Join("\n", report.Findings));
    }

    [Fact]
    public async Task An_owner_password_alone_protects_permissions_and_signing_needs_the_owner_password_when_they_forbid_it()
    {
        // Empty user password: anyone can open it; no password is needed to sign when forms may be filled.
        string open = Encrypt("owner-only", "", "pemilik", ["256"]);
        string signed = await fixture.SignAsync(File.ReadAllBytes(open), "owner-only.signed.pdf", new PdfSignatureOptions { Level = PadesLevel.BaselineLTA, TimeStamps = fixture.TimeStamps, Revocation = fixture.Revocation });
        Tool.Run("qpdf", "--check", signed).Check();
        Assert.All(await PdfVerifier.VerifyAsync(File.ReadAllBytes(signed), [fixture.Identity.Chain[^1]]), r => Assert.True(r.Conclusion == SignatureConclusion.Valid, string.Join("\n", r.Findings)));

        // Forms and annotations forbidden: the user password is not enough, the owner's is.
        string locked = Encrypt("locked", "rahasia", "pemilik", ["256", "--modify=none", "--form=n", "--annotate=n"]);
        Assert.Contains("owner password", (await Assert.ThrowsAsync<Security.PdfPasswordException>(async () =>
            await fixture.SignAsync(File.ReadAllBytes(locked), "locked.signed.pdf", new PdfSignatureOptions { Password = "rahasia" }))).Message, StringComparison.Ordinal);
        string byOwner = await fixture.SignAsync(File.ReadAllBytes(locked), "locked.owner.pdf", new PdfSignatureOptions { Password = "pemilik" });
        Assert.Contains("Signature is Valid", Tool.Run("pdfsig", "-nssdir", fixture.NssDatabase, "-no-ocsp", "-opw", "pemilik", byOwner).Stdout, StringComparison.Ordinal);
    }
}
