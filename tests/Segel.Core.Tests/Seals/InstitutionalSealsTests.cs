using Microsoft.EntityFrameworkCore;
using Segel.Core.Accounts;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Seals;
using Segel.Core.Signing;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Core.Tests.Seals;

/// <summary>
/// Institutional e-seals (issue 23.2): the Dinkes head applies, the RA officer approves with a signed decision, an
/// application seals a PDF with a token bound to the seal and its network — no passphrase — and the record says the agency
/// sealed it. Certificates read by openssl; refusals, a rejection, a revocation and parallel approvals on both databases.
/// </summary>
public sealed class InstitutionalSealsTests
{
    private const string SealName = "Sistem e-Surat Dinas Kesehatan";
    private const string Purpose = "Menyegel surat keluar yang dibuat aplikasi e-Surat Dinas Kesehatan.";

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_agency_seal_is_applied_for_approved_and_used_by_its_application_from_its_network(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        InstitutionalSeals seals = test.Ca.Seals;

        // Only an agency head applies, for their own agency, saying what for; one live seal per name.
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() => seals.ApplyAsync(new NewSeal(SealName, Purpose), world.Officer))).Kind);
        Assert.Equal(ErrorKind.Invalid, (await Assert.ThrowsAsync<SegelException>(() => seals.ApplyAsync(new NewSeal(SealName, "surat"), world.HeadDinkes))).Kind);
        SealView applied = await seals.ApplyAsync(new NewSeal(SealName, Purpose), world.HeadDinkes);
        Assert.Equal("applied", applied.State);
        Assert.Equal("DINKES", applied.AgencyCode);
        Assert.Equal(ErrorKind.Conflict, (await Assert.ThrowsAsync<SegelException>(() => seals.ApplyAsync(new NewSeal(SealName, Purpose), world.HeadDinkes))).Kind);
        Assert.Empty(await seals.ListAsync(world.HeadKominfo)); // another agency's head does not see it
        Assert.Single(await seals.ListAsync(world.HeadDinkes));

        // The RA officer approves with a signed decision; the certificate names the agency and the seal, no person.
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() => seals.ApproveAsync(applied.Id, null, world.HeadDinkes))).Kind);
        SealView approved = await seals.ApproveAsync(applied.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
        Assert.Equal("approved", approved.State);
        Assert.Equal("valid", approved.CertificateStatus);
        Assert.Equal(ErrorKind.Conflict,
            (await Assert.ThrowsAsync<SegelException>(() => seals.ApproveAsync(applied.Id, LifecycleWorld.OfficerPassphrase, world.Officer))).Kind);
        CertificateRecord certificate = await test.Ca.Queries.GetAsync(approved.CertificateSerial!);
        Assert.Null(certificate.EmployeeId);
        Assert.Equal("seal", certificate.Profile);
        string text = Tool.OpenSslOk("x509", "-inform", "DER", "-noout", "-text", "-nameopt", "multiline", "-in", test.Directory.Write("seal.der", certificate.Der));
        Assert.Contains($"commonName                = {SealName}", text, StringComparison.Ordinal);
        Assert.Contains("organizationalUnitName    = Dinas Kesehatan", text, StringComparison.Ordinal);
        Assert.DoesNotContain("serialNumber", text, StringComparison.Ordinal); // no NIP: no person
        Assert.Contains("Digital Signature, Non Repudiation", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Subject Alternative Name", text, StringComparison.Ordinal);

        // A seal token: the seal:sign scope alone, bound to the seal and to the application's network.
        ApiTokens tokens = test.Ca.ApiTokens;
        Assert.Equal(ErrorKind.Invalid, (await Assert.ThrowsAsync<SegelException>(() => tokens.IssueAsync("esurat", [ApiScopes.SealSign], null, Principal.Console))).Kind);
        Assert.Equal(ErrorKind.Invalid, (await Assert.ThrowsAsync<SegelException>(() =>
            tokens.IssueAsync("esurat", [ApiScopes.SealSign, ApiScopes.SignPdf], null, new SealBinding(applied.Id, ["10.20.0.0/16"]), Principal.Console))).Kind);
        Assert.Equal(ErrorKind.Invalid, (await Assert.ThrowsAsync<SegelException>(() =>
            tokens.IssueAsync("esurat", [ApiScopes.SealSign], null, new SealBinding(applied.Id, ["0.0.0.0/0"]), Principal.Console))).Kind);
        Assert.Equal(ErrorKind.Invalid, (await Assert.ThrowsAsync<SegelException>(() => // a seal binding on any other scope
            tokens.IssueAsync("esurat", [ApiScopes.SignPdf], null, new SealBinding(applied.Id, ["10.20.0.0/16"]), Principal.Console))).Kind);
        Assert.Equal(ErrorKind.Invalid, (await Assert.ThrowsAsync<SegelException>(() =>
            tokens.IssueAsync("esurat", [ApiScopes.SealSign], null, new SealBinding(applied.Id, ["bukan-jaringan"]), Principal.Console))).Kind);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<SegelException>(() =>
            tokens.IssueAsync("esurat", [ApiScopes.SealSign], null, new SealBinding(999, ["10.20.0.0/16"]), Principal.Console))).Kind);
        (ApiTokenView issued, string token) = await tokens.IssueAsync("esurat", [ApiScopes.SealSign], null, new SealBinding(applied.Id, ["10.20.0.0/16", "192.0.2.7"]),
            Principal.Console);
        Assert.Equal("10.20.0.0/16 192.0.2.7/32", issued.Networks);
        Principal application = (await tokens.AuthenticateAsync(token))!;
        Assert.Equal(applied.Id, application.SealId);

        // Sealing from the allowed network (IPv4, and IPv4 seen as IPv6); refused from elsewhere, and with a passphrase.
        var request = new PdfSigningRequest { Documents = [new PdfToSign(LifecycleWorld.Pdf("Surat Dinas Kesehatan"), "surat.pdf")] };
        SignedDocument sealedPdf = (await test.Ca.Signing.SealAsync(request, application, "10.20.3.4")).Single();
        Assert.Single(await test.Ca.Signing.SealAsync(request, application, "::ffff:192.0.2.7"));
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Signing.SealAsync(request, application, "198.51.100.1"))).Kind);
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Signing.SealAsync(request, application, null))).Kind);
        Assert.Equal(ErrorKind.Invalid, (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Signing.SealAsync(request with { Passphrase = "apa saja" }, application, "10.20.3.4"))).Kind);
        var signer = new Principal("esurat-biasa", Role.None, Scopes: new HashSet<string> { ApiScopes.SignPdf });
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Signing.SealAsync(request, signer, "10.20.3.4"))).Kind);

        // The record, as the public page shows it: sealed by the agency, with the seal's name; the file's own check says so too.
        PublicSignature record = (await test.Ca.Signatures.FindPublicAsync(sealedPdf.Id))!;
        Assert.True(record.Sealed);
        Assert.Equal("Dinas Kesehatan", record.Agency);
        Assert.Equal(SealName, record.SignerName);
        DocumentVerdict verdict = await test.Ca.Verification.VerifyAsync(sealedPdf.Content);
        Assert.Equal(Pdf.Verification.SignatureConclusion.Valid, verdict.Conclusion);
        Assert.Equal(sealedPdf.Id, verdict.SealedBy?.Id);
        Assert.Contains((await test.Ca.Signatures.ListAsync(null, null, null, null, null, world.HeadDinkes)).Items, s => s.Id == sealedPdf.Id && s.SignerName == SealName);

        // Revoked: the application can no longer seal, and the key is destroyed at the next round (a seal only signs).
        await test.Ca.Certificates.RevokeAsync(Principal.Console, approved.CertificateSerial!, "cessationOfOperation", null, "test");
        Assert.Equal(ErrorKind.Refused, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Signing.SealAsync(request, application, "10.20.3.4"))).Kind);
        Assert.Equal(1, await test.Ca.KeyDestruction.RunAsync());
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            InstitutionalSealRecord destroyed = await db.InstitutionalSeals.SingleAsync(s => s.Id == applied.Id);
            Assert.Empty(destroyed.SealedPrivateKey);
            Assert.NotNull(destroyed.KeyDestroyedAt);
        }
        Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_rejected_seal_loses_its_key_and_parallel_approvals_issue_once(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        SealView first = await test.Ca.Seals.ApplyAsync(new NewSeal("Aplikasi Kepegawaian", Purpose), world.HeadKominfo);
        Assert.Equal(ErrorKind.Invalid,
            (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Seals.RejectAsync(first.Id, "x", LifecycleWorld.OfficerPassphrase, world.Officer))).Kind);
        SealView rejected = await test.Ca.Seals.RejectAsync(first.Id, "Nama aplikasi tidak jelas", LifecycleWorld.OfficerPassphrase, world.Officer);
        Assert.Equal("rejected", rejected.State);
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            Assert.Empty((await db.InstitutionalSeals.SingleAsync(s => s.Id == first.Id)).SealedPrivateKey);
        }
        // The name is free again once rejected.
        SealView second = await test.Ca.Seals.ApplyAsync(new NewSeal("Aplikasi Kepegawaian", Purpose), world.HeadKominfo);

        using SegelCa other = test.OpenSecondNode();
        int approvedCount = 0, conflicts = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            try
            {
                await (i % 2 == 0 ? test.Ca : other).Seals.ApproveAsync(second.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
                Interlocked.Increment(ref approvedCount);
            }
            catch (SegelException e) when (e.Kind == ErrorKind.Conflict)
            {
                Interlocked.Increment(ref conflicts);
            }
        })));
        Assert.Equal((1, 3), (approvedCount, conflicts));
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            Assert.Equal(1, await db.Certificates.CountAsync(c => c.Profile == "seal"));
            Assert.Equal(1, await db.Decisions.CountAsync(d => d.SubjectType == "seal" && d.Decision == "approved"));
        }
        Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact);
    }
}
