using System.Net;
using System.Net.Http.Json;
using Segel.Core;
using Segel.Core.Ca;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Server.Tests;

/// <summary>
/// Every API endpoint against every role — and another agency's head, a holder, a token whose scope (sign:pdf) none of these accept, no
/// sign-in at all — asserting who is let through and who is refused. "Allowed" means not refused (401/403):
/// the call may still fail for a state reason (409), which is not what this test is about.
/// </summary>
public sealed class AuthorizationMatrixTests
{
    private static readonly string[] Callers =
        ["anonymous", "token", "admin", "policy-admin", "ra-officer", "agency-head", "other-agency-head", "subscriber", "auditor"];

    private static readonly string[] SameDomains = ["tanahbumbukab.go.id"];
    private static readonly int[] SameDays = [30, 14, 7, 1];

    private sealed record Call(string Method, string Path, Func<HttpContent?> Body, params string[] Allowed);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_endpoint_admits_exactly_the_roles_the_regulation_names(string provider)
    {
        await using InProcessServer server = await InProcessServer.StartAsync(provider);
        HttpWorld world = await HttpWorld.CreateAsync(server);
        world.Tokens["token"] = (await server.Ca.ApiTokens.IssueAsync("aplikasi-lain", [Segel.Core.Signing.RemoteSigning.Scope], null, Principal.Console)).Token;
        Fixture f = await Fixture.CreateAsync(world);

        string[] people = ["admin", "policy-admin", "ra-officer", "agency-head", "other-agency-head", "subscriber", "auditor"];
        string[] readers = ["admin", "ra-officer", "agency-head", "auditor"];
        HttpContent Json(object value) => JsonContent.Create(value);
        HttpContent? None() => null;
        var calls = new List<Call>
        {
            new("GET", "/api/v1/me", None, [.. people, "token"]),
            new("POST", "/api/v1/users", () => Json(new { username = "baru" + Guid.NewGuid().ToString("N")[..6], displayName = "Baru", roles = "auditor", password = HttpWorld.Password }), "admin"),
            new("GET", "/api/v1/agencies", None, "admin", "policy-admin", "ra-officer", "agency-head", "other-agency-head", "auditor"),
            // Wrong current password (400) or not a person's account (422): refusals for a reason other than the role.
            new("POST", "/api/v1/me/password", () => Json(new { currentPassword = "bukan-sandi-yang-benar", newPassword = "sandi-baru-yang-panjang-1" }), [.. people, "token"]),
            new("POST", "/api/v1/users/tidak.ada/password", () => Json(new { password = "sandi-baru-yang-panjang-1" }), "admin"),
            new("POST", "/api/v1/users/tidak.ada/totp", None, "admin"),
            new("DELETE", "/api/v1/users/tidak.ada/provider-link", None, "admin"),
            new("PUT", "/api/v1/users/tidak.ada/roles", () => Json(new { roles = "auditor" }), "admin"),
            new("POST", "/api/v1/agencies", () => Json(new { code = "M" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(), name = "Badan Matriks" }), "admin"),
            new("PATCH", "/api/v1/agencies/DISKOMINFO", () => Json(new { name = "Dinas Komunikasi dan Informatika" }), "admin"),
            new("GET", "/api/v1/agencies/DISKOMINFO/work-units", None, "admin", "policy-admin", "ra-officer", "auditor", "agency-head"),
            new("POST", "/api/v1/agencies/DISKOMINFO/work-units", () => Json(new { name = "Unit " + Guid.NewGuid().ToString("N")[..8] }), "admin"),
            new("PATCH", "/api/v1/agencies/DISKOMINFO/work-units/999999", () => Json(new { name = "Tidak Ada" }), "admin"),
            new("DELETE", "/api/v1/agencies/DISKOMINFO/work-units/999999", None, "admin"),
            new("GET", "/api/v1/settings", None, [.. people, "token"]),
            // An unsigned PDF: those let through are told it has no signature (400).
            new("POST", "/api/v1/documents/extension", () => new ByteArrayContent(SamplePdf.Letter()), [.. people, "token"]),
            // A file but no passphrase: those let through are told what is missing; only a holder (a person linked to an employee, with
            // their own key) or an application they use signs — an administrator or auditor cannot sign for anyone (Pasal 15(3)).
            new("POST", "/api/v1/documents/container", () => new MultipartFormDataContent { { new ByteArrayContent("catatan"u8.ToArray()), "file", "catatan.txt" } },
                "ra-officer", "subscriber", "token"),
            // A file but no recipient (400 for those let through): anyone signed in encrypts to a colleague; an application needs certificates:read.
            new("POST", "/api/v1/documents/encryption", () => new MultipartFormDataContent { { new ByteArrayContent("rahasia"u8.ToArray()), "file", "rahasia.txt" } }, people),
            new("POST", "/api/v1/documents/encryption/mail", () => new MultipartFormDataContent { { new ByteArrayContent("rahasia"u8.ToArray()), "file", "rahasia.txt" } }, people),
            // Not an encrypted document (400 for those let through): only a holder opens one, with their own key.
            new("POST", "/api/v1/documents/decryption", () => new MultipartFormDataContent { { new ByteArrayContent("bukan cms"u8.ToArray()), "file", "x.p7m" }, { new StringContent("apa saja"), "passphrase" } },
                "ra-officer", "subscriber"),
            // Key recovery (issue 23.5): holders ask and finish (nothing escrowed here: refused for that, not the role), RA officers approve.
            new("POST", "/api/v1/key-recovery/requests", () => Json(new { statement = "Lupa frasa sandi" }), "ra-officer", "subscriber"),
            new("GET", "/api/v1/key-recovery/requests", None, "admin", "ra-officer", "subscriber"),
            new("POST", "/api/v1/key-recovery/requests/999999/approve", () => Json(new { passphrase = "apa saja" }), "ra-officer"),
            new("POST", "/api/v1/key-recovery/requests/999999/complete", () => Json(new { passphrase = "apa saja" }), "ra-officer", "subscriber"),
            new("POST", "/api/v1/key-recovery/requests/999999/close", None, "ra-officer", "subscriber"),
            // Institutional e-seals (issue 23.2): agency heads apply (a purpose too short: refused for that), RA officers decide, seal tokens seal.
            new("GET", "/api/v1/seals", None, "admin", "ra-officer", "agency-head", "other-agency-head", "auditor"),
            new("POST", "/api/v1/seals", () => Json(new { name = "Segel Matriks", purpose = "x" }), "agency-head", "other-agency-head"),
            new("POST", "/api/v1/seals/999999/approval", () => Json(new { passphrase = "apa saja" }), "ra-officer"),
            new("POST", "/api/v1/seals/999999/rejection", () => Json(new { reason = "tidak lengkap", passphrase = "apa saja" }), "ra-officer"),
            new("POST", "/api/v1/documents/seal", () => new MultipartFormDataContent { { new ByteArrayContent(SamplePdf.Letter()), "file", "x.pdf" } }),
            new("PUT", "/api/v1/settings", () => Json(new { emailDomains = SameDomains, reminderDays = SameDays }), "admin", "policy-admin"),
            new("POST", "/api/v1/employees/import?dryRun=true", () => new StringContent(world.Csv("DISKOMINFO", "Dinas Komunikasi dan Informatika"), System.Text.Encoding.UTF8, "text/csv"), "admin"),
            new("GET", "/api/v1/employees", None, "admin", "ra-officer", "agency-head", "other-agency-head", "auditor"),
            new("GET", $"/api/v1/employees/{HttpWorld.BudiNip}", None, [.. readers, "subscriber"]),
            new("GET", $"/api/v1/employees/{HttpWorld.BudiNip}?nik=true", None, "admin", "ra-officer"),
            new("GET", $"/api/v1/holders/status?nip={HttpWorld.BudiNip}", None, [.. readers, "subscriber"]),
            new("POST", $"/api/v1/employees/{HttpWorld.BudiNip}/key-unlock", None, "ra-officer"),
            new("POST", $"/api/v1/employees/{HttpWorld.AndiNip}/invitation", None, "admin", "ra-officer"),
            new("GET", "/api/v1/enrollments", None, "admin", "ra-officer", "agency-head", "other-agency-head", "auditor"),
            new("GET", $"/api/v1/enrollments/{f.Draft}", None, readers),
            new("PUT", $"/api/v1/enrollments/{f.Draft}/documents/request-letter", () => HttpWorld.Pdf("surat"), "agency-head"),
            new("GET", $"/api/v1/enrollments/{f.Submitted}/documents/id-card", None, readers),
            new("POST", $"/api/v1/enrollments/{f.Draft}/confirmation-code", None, "agency-head"),
            new("POST", $"/api/v1/enrollments/{f.Draft}/submission", None, "agency-head"),
            new("POST", $"/api/v1/enrollments/{f.Submitted}/rejection", () => Json(new { reason = "Dokumen kurang lengkap", passphrase = HttpWorld.OfficerPassphrase }), "ra-officer"),
            new("POST", $"/api/v1/enrollments/{f.Submitted}/approval", () => Json(new { passphrase = HttpWorld.OfficerPassphrase }), "ra-officer"),
            new("POST", $"/api/v1/enrollments/{f.Draft}/cancellation", None, "agency-head"),
            new("POST", "/api/v1/enrollments", () => Json(new { nip = HttpWorld.BudiNip, contactEmail = world.KominfoDesk, kind = "renewal" }), "agency-head"),
            new("GET", "/api/v1/revocation-requests", None, "admin", "ra-officer", "agency-head", "other-agency-head", "auditor"),
            new("GET", $"/api/v1/revocation-requests/{f.Request}", None, readers),
            new("POST", $"/api/v1/revocation-requests/{f.Request}/rejection", () => Json(new { reason = "Surat tidak ditandatangani", passphrase = HttpWorld.OfficerPassphrase }), "ra-officer"),
            new("POST", $"/api/v1/revocation-requests/{f.Request}/approval", () => Json(new { passphrase = HttpWorld.OfficerPassphrase }), "ra-officer"),
            new("POST", $"/api/v1/revocation-requests/{f.Request}/endorsement",
                () => Json(new { letter = Convert.ToBase64String(LifecycleWorld.Pdf("surat")), contactEmail = world.KominfoDesk }), "agency-head"),
            new("POST", "/api/v1/revocation-requests", () => Json(new { serial = f.Serial, reason = "affiliationChanged", contactEmail = world.KominfoDesk, letter = Convert.ToBase64String(LifecycleWorld.Pdf("surat")) }), "agency-head"),
            new("POST", "/api/v1/agreements", () => Json(new { text = new string('x', 50) + " Perjanjian pemilik sertifikat elektronik versi baru untuk pengujian hak akses. " + new string('y', 50) }), "admin", "policy-admin"),
            new("GET", "/api/v1/audit", None, "admin", "auditor"),
            new("GET", "/api/v1/audit/verification", None, "admin", "auditor"),
            new("GET", "/api/v1/audit/checkpoints", None, "admin", "auditor"),
            new("GET", "/api/v1/reports?period=2026", None, "admin", "policy-admin", "agency-head", "other-agency-head", "auditor"),
            new("GET", "/api/v1/reports?period=2026&agency=DISKOMINFO&format=csv", None, "admin", "policy-admin", "agency-head", "auditor"),
            new("GET", "/api/v1/reports?period=2026-H1&format=pdf", None, "admin", "policy-admin", "agency-head", "other-agency-head", "auditor"),
            new("GET", "/api/v1/complaints", None, "admin", "policy-admin", "ra-officer", "auditor"),
            new("GET", "/api/v1/findings", None, "admin", "policy-admin", "agency-head", "other-agency-head", "auditor"),
            new("GET", "/api/v1/reports/stored", None, "admin", "policy-admin", "agency-head", "other-agency-head", "auditor"),
            new("GET", "/api/v1/certificates", None, "admin", "policy-admin", "ra-officer", "auditor"),
            new("GET", "/api/v1/directory?q=andi", None, people),
            new("GET", "/api/v1/directory/certificates/01", None, people),
            new("GET", $"/api/v1/certificates/{f.Serial}", None, "admin", "policy-admin", "ra-officer", "auditor"),
            new("POST", "/api/v1/certificates", () => Json(new { csr = System.Text.Encoding.ASCII.GetString(Csr.Create("Matriks", "matriks@tanahbumbukab.go.id")) }), "admin"),
            // Last: these revoke the fixture certificate.
            new("POST", $"/api/v1/certificates/{f.Spare}/revocation", () => Json(new { reason = "superseded" }), "admin"),
            new("POST", "/api/v1/revocation-requests", () => Json(new { serial = f.Serial, reason = "keyCompromise", statement = "Laptop hilang" }), "subscriber", "ra-officer"),
        };

        var failures = new List<string>();
        foreach (Call call in calls)
        {
            // Refused callers first, so an allowed call that changes state cannot turn a refusal into a 409.
            foreach (string caller in Callers.OrderBy(c => call.Allowed.Contains(c)))
            {
                using HttpClient client = world.As(caller);
                using var request = new HttpRequestMessage(new HttpMethod(call.Method), call.Path) { Content = call.Body() };
                using HttpResponseMessage response = await client.SendAsync(request);
                int status = (int)response.StatusCode;
                bool allowed = call.Allowed.Contains(caller);
                int refusal = caller == "anonymous" ? 401 : 403;
                if (allowed && status is 401 or 403)
                {
                    failures.Add($"{call.Method} {call.Path} as {caller}: expected access, got {status} {await response.Content.ReadAsStringAsync()}");
                }
                else if (!allowed && status != refusal)
                {
                    failures.Add($"{call.Method} {call.Path} as {caller}: expected {refusal}, got {status}");
                }
                else if (status >= 500)
                {
                    failures.Add($"{call.Method} {call.Path} as {caller}: server error {status}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // Public endpoints need no sign-in.
        using HttpClient anonymous = server.Client();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/v1/agreements/current")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/v1/agreements/1")).StatusCode);
    }

    /// <summary>The things the matrix acts on: Budi's certificate, a draft and a submitted application, a pending revocation request.</summary>
    private sealed record Fixture(long Draft, long Submitted, long Request, string Serial, string Spare)
    {
        public static async Task<Fixture> CreateAsync(HttpWorld world)
        {
            SegelCa ca = world.Server.Ca;
            Principal head = (await ca.Sessions.AuthenticateAsync(world.Tokens["agency-head"]))!;
            Principal officer = (await ca.Sessions.AuthenticateAsync(world.Tokens["ra-officer"]))!;
            LifecycleWorld helpers = LifecycleWorld.On(ca);
            EnrollmentSnapshot budi = await helpers.SubmittedAsync(HttpWorld.BudiNip, head, world.BudiEmail);
            (_, CertificateView certificateView) = await ca.Review.ApproveAsync(budi.Id, HttpWorld.OfficerPassphrase, officer);
            CertificateRecord certificate = await ca.Queries.GetAsync(certificateView.Serial);
            EnrollmentSnapshot draft = await ca.Enrollments.CreateAsync(new NewEnrollment(HttpWorld.AndiNip, world.KominfoDesk), head);
            EnrollmentSnapshot submitted = await helpers.SubmittedAsync(HttpWorld.SecondOfficerNip, head, world.SariEmail, "renewal");
            RevocationRequestSnapshot request = await ca.RevocationRequests.CreateAsync(new NewRevocationRequest(certificate.SerialHex, "cessationOfOperation",
                world.KominfoDesk, LifecycleWorld.Pdf("surat pensiun")), head);
            IssuedCertificate spare = await ca.Issuance.IssueFromCsrAsync(Csr.Create("Cadangan", "cadangan@tanahbumbukab.go.id"), new HolderDetails(),
                Segel.Pki.Certificates.CertificateProfile.Subscriber, Actor.System);
            return new Fixture(draft.Id, submitted.Id, request.Id, certificate.SerialHex, spare.Record.SerialHex);
        }
    }
}
