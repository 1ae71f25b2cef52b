using System.Text;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Testing;

namespace Segel.Core.Tests.Ca;

/// <summary>
/// The certificates feature checks its callers itself, whatever door they come through: an API token needs the
/// operation's scope, readers may read and nothing more, an administrator may do everything.
/// </summary>
public sealed class CertificatesAuthorizationTests
{
    [Fact]
    public async Task Each_operation_admits_its_scope_its_roles_and_administrators_only()
    {
        using TestCa test = await TestCa.CreateAsync();
        await test.Ca.EmployeeImport.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(LifecycleWorld.Csv)), Actor.System);
        Certificates certificates = test.Ca.Certificates;
        string csr = Encoding.ASCII.GetString(Csr.Create());
        var holder = new HolderDetails(null, null, "Dinas Komunikasi dan Informatika", LifecycleWorld.BudiNip);
        const string Reason = "Uji hak akses penerbitan langsung";
        Principal Token(params string[] scopes) => new("api:aplikasi", Role.None, Scopes: new HashSet<string>(scopes));
        var officer = new Principal("petugas", Role.RaOfficer);
        var subscriber = new Principal("budi", Role.Subscriber);

        // Refused before anything is read: a bad CSR from someone who may not issue is a 403, not a 400.
        foreach (Principal refused in new[] { Token(ApiScopes.SignPdf, ApiScopes.CertificatesRead), officer, subscriber })
        {
            SegelException e = await Assert.ThrowsAsync<SegelException>(() => certificates.IssueFromCsrAsync(refused, "bukan CSR", null, holder, Reason, null));
            Assert.Equal(ErrorKind.Forbidden, e.Kind);
        }
        CertificateView issued = await certificates.IssueFromCsrAsync(Token(ApiScopes.CertificatesIssue), csr, null, holder, Reason, "10.0.0.1");
        Assert.Equal("valid", issued.Status);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", issued.Pem, StringComparison.Ordinal);

        foreach (Principal reader in new[] { Token(ApiScopes.CertificatesRead), officer, new Principal("auditor", Role.Auditor), new Principal("kebijakan", Role.PolicyAdmin) })
        {
            Assert.Equal(issued.Serial, (await certificates.GetAsync(reader, issued.Serial, null)).Serial);
            Assert.Contains(await certificates.ListAsync(reader, "valid", null, 0, 10), c => c.Serial == issued.Serial);
        }
        foreach (Principal refused in new[] { Token(ApiScopes.CertificatesIssue), subscriber, new Principal("kepala", Role.AgencyHead, AgencyId: 1) })
        {
            Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() => certificates.GetAsync(refused, issued.Serial, null))).Kind);
            Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() => certificates.ListAsync(refused, null, null, 0, 10))).Kind);
        }

        // RA officers revoke through revocation requests (with a decision on record), never directly.
        foreach (Principal refused in new[] { Token(ApiScopes.CertificatesRead, ApiScopes.CertificatesIssue), officer })
        {
            Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() => certificates.RevokeAsync(refused, issued.Serial, "nonsense", null, null))).Kind);
        }
        Assert.Equal("valid", (await certificates.GetAsync(Principal.Console, issued.Serial, null)).Status);
        CertificateView revoked = await certificates.RevokeAsync(Principal.Console, issued.Serial, "keyCompromise", null, "cli");
        Assert.Equal("revoked", revoked.Status);
        Assert.Equal("keyCompromise", revoked.RevocationReason);
    }
}
