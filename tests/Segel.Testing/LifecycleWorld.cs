using System.Text;
using Microsoft.EntityFrameworkCore;
using Segel.Core;
using Segel.Core.Accounts;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Storage;

namespace Segel.Testing;

/// <summary>
/// A small regency on a test CA: two agencies, a few employees, an agency head for each agency, a certified RA
/// officer, an auditor — the people every lifecycle test needs, as principals the core accepts.
/// </summary>
public sealed class LifecycleWorld
{
    public const string OfficerPassphrase = "kunci rahasia petugas RA";
    public const string HolderPassphrase = "passphrase pemilik 2026";
    public const string Csv = "nip,nik,name,position,agency_code,agency_name,work_unit,email\n" +
        "198507152010011003,6310011507850001,Budi Santoso,Pranata Komputer,DISKOMINFO,Dinas Komunikasi dan Informatika,Bidang Persandian,budi@tanahbumbukab.go.id\n" +
        "199001012015032001,6310014101900002,Siti Aminah,Analis Kebijakan,DINKES,Dinas Kesehatan,,siti@tanahbumbukab.go.id\n" +
        "198203102006041002,6310011003820003,Rahmat Hidayat,Sandiman,DISKOMINFO,Dinas Komunikasi dan Informatika,Bidang Persandian,rahmat@tanahbumbukab.go.id\n" +
        "199512202019031004,6310012012950004,Dewi Lestari,Perawat,DINKES,Dinas Kesehatan,,dewi@tanahbumbukab.go.id\n";

    public const string BudiNip = "198507152010011003";
    public const string SitiNip = "199001012015032001";
    public const string OfficerNip = "198203102006041002";
    public const string DewiNip = "199512202019031004";

    private LifecycleWorld(SegelCa ca) => Ca = ca;

    public SegelCa Ca { get; }

    public Principal HeadKominfo { get; private set; } = null!;

    public Principal HeadDinkes { get; private set; } = null!;

    public Principal Officer { get; private set; } = null!;

    public Principal Auditor { get; } = new("auditor", Role.Auditor);

    /// <summary>The helpers over a CA someone else set up (the HTTP tests' world).</summary>
    public static LifecycleWorld On(SegelCa ca) => new(ca);

    public static async Task<LifecycleWorld> CreateAsync(SegelCa ca)
    {
        ArgumentNullException.ThrowIfNull(ca);
        var world = new LifecycleWorld(ca);
        await ca.EmployeeImport.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(Csv)), Actor.System);
        await ca.Users.CreateAsync(new NewUser("kepala.kominfo", "Kepala Diskominfo", Role.AgencyHead, "sandi-yang-panjang-1", "DISKOMINFO"), Principal.Console);
        await ca.Users.CreateAsync(new NewUser("kepala.dinkes", "Kepala Dinkes", Role.AgencyHead, "sandi-yang-panjang-2", "DINKES"), Principal.Console);
        CreatedUser officer = await ca.Users.CreateAsync(new NewUser("rahmat", "Rahmat Hidayat", Role.RaOfficer, "sandi-yang-panjang-3", EmployeeNip: OfficerNip), Principal.Console);
        await ca.Officers.CertifyAsync("rahmat", OfficerPassphrase, Principal.Console);
        await using SegelDbContext db = ca.Database.CreateContext();
        int kominfo = await db.Agencies.Where(a => a.Code == "DISKOMINFO").Select(a => a.Id).SingleAsync();
        int dinkes = await db.Agencies.Where(a => a.Code == "DINKES").Select(a => a.Id).SingleAsync();
        world.HeadKominfo = new Principal("kepala.kominfo", Role.AgencyHead, kominfo);
        world.HeadDinkes = new Principal("kepala.dinkes", Role.AgencyHead, dinkes);
        world.Officer = new Principal("rahmat", Role.RaOfficer, UserId: officer.Id, EmployeeId: officer.EmployeeId);
        return world;
    }

    public static byte[] Pdf(string text) => SamplePdf.Letter(text);

    public static byte[] Png() => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, .. "IHDR"u8.ToArray(), 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xDE];

    /// <summary>The RA officer's own key (sealed under <see cref="OfficerPassphrase"/>) and its certificate, as certified at set-up.</summary>
    internal async Task<(HolderKeyRecord Key, System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate)> OfficerKeyAsync()
    {
        await using SegelDbContext db = Ca.Database.CreateContext();
        HolderKeyRecord key = await db.HolderKeys.AsNoTracking().SingleAsync(k => k.EmployeeId == Officer.EmployeeId && k.CertificateId != null);
        byte[] der = await db.Certificates.Where(c => c.Id == key.CertificateId).Select(c => c.Der).SingleAsync();
        return (key, System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(der));
    }

    /// <summary>The confirmation code from the newest e-mail to <paramref name="to"/> waiting in the outbox.</summary>
    public async Task<string> CodeSentToAsync(string to)
    {
        // Waiting in the outbox (no mail server, or not yet sent); once delivered, its body is gone from the outbox
        // (sealed bodies are erased after sending), and the code is read where it went: the SMTP sink's newest message.
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            if (await Ca.Outbox.PendingForAsync(to, Principal.Console) is { } pending)
            {
                return CodeIn(pending.Body);
            }
            if (await TestSmtp.NewestBodyAsync(to, body => body.Contains("code=", StringComparison.Ordinal)) is { } delivered)
            {
                return CodeIn(delivered);
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"No confirmation code was sent to {to}.");
            }
            await Task.Delay(100);
        }
    }

    public static string CodeIn(string body)
    {
        System.Text.RegularExpressions.Match match = System.Text.RegularExpressions.Regex.Match(body ?? "", @"code=([A-Z0-9]{8})");
        return match.Success ? match.Groups[1].Value : throw new InvalidOperationException("No confirmation code in the message.");
    }

    /// <summary>Attaches all Pasal 14 documents.</summary>
    public async Task AttachAllAsync(long id, Principal head, bool reissue = false)
    {
        foreach (DocumentKind kind in DocumentIntake.RequiredFor(reissue ? EnrollmentKind.Reissue : EnrollmentKind.New))
        {
            await Ca.Enrollments.AttachAsync(id, kind, kind == DocumentKind.IdCard ? Png() : Pdf(kind.ToName()), kind.ToName() + ".pdf", head);
        }
    }

    /// <summary>An application taken to "submitted": created, documents attached, confirmed by the holder, submitted.</summary>
    public async Task<EnrollmentSnapshot> SubmittedAsync(string nip, Principal head, string holderEmail, string kind = "new")
    {
        EnrollmentSnapshot created = await Ca.Enrollments.CreateAsync(new NewEnrollment(nip, "sekretariat@tanahbumbukab.go.id", kind), head);
        await AttachAllAsync(created.Id, head, kind == "reissue");
        int version = (await Ca.Agreements.CurrentAsync()).Version;
        await Ca.Enrollments.ConfirmAsync(created.Id, new HolderConfirmation(await CodeSentToAsync(holderEmail), version, HolderPassphrase), "203.0.113.9");
        return await Ca.Enrollments.SubmitAsync(created.Id, head);
    }
}
