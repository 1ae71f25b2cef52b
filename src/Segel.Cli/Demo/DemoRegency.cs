using Segel.Cli.Commands;
using Segel.Core.Accounts;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Organization;
using Segel.Core.Signing;
using Segel.Core.Supervision;
using Segel.Pdf.Writing;

namespace Segel.Cli.Demo;

/// <summary>A sign-in the demonstration prints: who, as what, with which secrets.</summary>
internal sealed record DemoSignIn(string Role, string Username, string? TotpSecret, string Note);

/// <summary>
/// Fills a new CA with a regency's worth of life, through the same core services and rules as real use: employees
/// imported, accounts for every role, two years of applications decided by RA officers (so some certificates now
/// expire and some have expired), revocations of every kind, a locked key, applications in every state and letters
/// signed by their holders. Nothing is written around the rules; only the clock is moved.
/// </summary>
internal sealed class DemoRegency
{
    public const string Password = "demo-segel-2026";
    public const string OfficerPassphrase = "kunci petugas RA demo";
    public const string HolderPassphrase = "passphrase pemilik demo";
    private readonly ConsoleCore _core;
    private readonly DemoClock _clock;
    private readonly TextWriter _log;
    private readonly Dictionary<string, Principal> _heads = [];
    private readonly List<DemoSignIn> _signIns = [];
    private List<DemoPerson> _people = [];
    private Principal _officer = Principal.Console;
    private Principal _secondOfficer = Principal.Console;
    private int _agreement;
    private int _head;

    public DemoRegency(ConsoleCore core, DemoClock clock, TextWriter log)
    {
        _core = core;
        _clock = clock;
        _log = log;
    }

    public IReadOnlyList<DemoSignIn> SignIns => _signIns;

    private string Domain => Core.Configuration.SegelOptions.EffectiveEmailDomains(_core.Options.EmailDomains)[0];

    public List<string> Letters { get; } = [];

    public async Task BuildAsync(int employees, string lettersFolder, CancellationToken cancellationToken)
    {
        _people = DemoPeople.Create(employees, Domain);
        // The head of DISKOMINFO's persandian unit, who sets policy and signs the Pasal 25 reports: a DISKOMINFO
        // employee nothing else in the demonstration uses (the last one; the others are taken in order from the front).
        _head = _people.FindLastIndex(p => p.Agency.Code == "DISKOMINFO");
        _people[_head] = _people[_head] with { Position = "Kepala Bidang Persandian dan Statistik", Unit = _people[_head].Agency.Units[1] };
        await _core.Get<EmployeeImport>().ImportCsvAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(DemoPeople.Csv(_people))), Principal.Console, "demo", false, null, cancellationToken);
        _log.WriteLine($"  {_people.Count} employees in {DemoPeople.Agencies.Length} agencies");
        await AccountsAsync(cancellationToken);
        _agreement = (await _core.Get<SubscriberAgreements>().CurrentAsync(cancellationToken)).Version;

        // Two years of history: issued 25 months ago (now expired), 23 months ago (expiring), and through the last year.
        int next = 9;
        const int expired = 10, expiring = 14, recent = 50;
        next = await IssueBatchAsync(next, expired, TimeSpan.FromDays(760), cancellationToken);
        next = await IssueBatchAsync(next, expiring, TimeSpan.FromDays(705), cancellationToken);
        // The officers' own certificates come up for renewal too; each approves the other's (nobody decides their own).
        _clock.Behind = TimeSpan.FromDays(400);
        await _core.Get<EnrollmentReview>().ApproveAsync(await SubmittedAsync(_people[0], "renewal", cancellationToken, OfficerPassphrase), OfficerPassphrase, _secondOfficer, cancellationToken);
        await _core.Get<EnrollmentReview>().ApproveAsync(await SubmittedAsync(_people[8], "renewal", cancellationToken, OfficerPassphrase), OfficerPassphrase, _officer, cancellationToken);
        next = await IssueBatchAsync(next, recent, TimeSpan.FromDays(330), cancellationToken);
        _clock.Behind = TimeSpan.FromDays(200);
        await _core.Get<EnrollmentReview>().ApproveAsync(await SubmittedAsync(_people[_head], "new", cancellationToken), OfficerPassphrase, _officer, cancellationToken);
        _clock.Behind = TimeSpan.Zero;
        await _core.Get<ResponderRenewal>().RenewDueAsync(Principal.System, cancellationToken);
        await _core.Get<CrlPublisher>().PublishDueAsync(await _core.Get<Authorities>().GetIssuersAsync(cancellationToken), cancellationToken);
        _log.WriteLine($"  {expired + expiring + recent + 1} certificates issued over two years ({expired} expired, {expiring} expiring within a month), the RA officers' renewed");

        next = await RevocationsAsync(next, cancellationToken);
        next = await OpenApplicationsAsync(next, cancellationToken);
        await LettersAsync(lettersFolder, cancellationToken);
        await LockOneKeyAsync(cancellationToken);
        // Mail written while building (codes, notices) would otherwise go out to invented addresses once SMTP is configured.
        await _core.Get<Core.Notifications.MailOutbox>().DiscardUndeliveredAsync(Principal.Console, cancellationToken);
        await _core.Get<AuditCheckpoints>().CreateAsync(Principal.Console, cancellationToken);
    }

    private async Task AccountsAsync(CancellationToken cancellationToken)
    {
        await UserAsync("admin", "Administrator Segel", Role.Admin, null, null, "admin", "users, import, CA status", cancellationToken);
        // The head of the persandian unit: sets policy and signs the supervision reports with their own custody key (Pasal 25).
        await UserAsync("kkse", _people[_head].Name, Role.PolicyAdmin | Role.Subscriber, null, _people[_head].Nip, "policy-admin", "CA status, policy, signs the Pasal 25 reports",
            cancellationToken);
        await UserAsync("auditor", "Inspektorat Daerah", Role.Auditor, null, null, "auditor", "audit trail and its integrity check", cancellationToken);
        // The first two employees of DISKOMINFO's persandian unit run the RA; they are certified at the console.
        DemoPerson rahmat = _people[0], sari = _people[8];
        CreatedUser officer = await UserAsync("rahmat", rahmat.Name, Role.RaOfficer | Role.Subscriber, null, rahmat.Nip, "ra-officer", "review queue, approvals, revocations, unlock", cancellationToken);
        CreatedUser second = await UserAsync("sari", sari.Name, Role.RaOfficer | Role.Subscriber, null, sari.Nip, "ra-officer", "a second RA officer", cancellationToken);
        await _core.Get<OfficerBootstrap>().CertifyAsync("rahmat", OfficerPassphrase, Principal.Console, cancellationToken);
        await _core.Get<OfficerBootstrap>().CertifyAsync("sari", OfficerPassphrase, Principal.Console, cancellationToken);
        _officer = new Principal("rahmat", Role.RaOfficer | Role.Subscriber, null, officer.Id, EmployeeId: officer.EmployeeId);
        _secondOfficer = new Principal("sari", Role.RaOfficer | Role.Subscriber, null, second.Id, EmployeeId: second.EmployeeId);
        foreach (DemoAgency agency in DemoPeople.Agencies)
        {
            string username = $"kepala.{agency.Code.ToLowerInvariant()}";
            CreatedUser head = await UserAsync(username, $"Kepala {agency.Name}", Role.AgencyHead, agency.Code, null,
                agency.Code == "DISKOMINFO" ? "agency-head" : null, "staff, applications, revocation requests, coverage", cancellationToken);
            _heads[agency.Code] = new Principal(username, Role.AgencyHead, head.AgencyId, head.Id);
        }
    }

    private async Task<CreatedUser> UserAsync(string username, string name, Role roles, string? agency, string? nip, string? printAs, string note,
        CancellationToken cancellationToken)
    {
        CreatedUser created = await _core.Get<UserAccounts>().CreateAsync(new NewUser(username, name, roles, Password, agency, nip), Principal.Console, cancellationToken);
        if (printAs is not null)
        {
            _signIns.Add(new DemoSignIn(printAs, username, SecretOf(created.TotpUri), note));
        }
        return created;
    }

    private static string? SecretOf(string? totpUri)
    {
        if (totpUri is null)
        {
            return null;
        }
        string query = new Uri(totpUri).Query.TrimStart('?');
        return query.Split('&').Select(p => p.Split('=', 2)).FirstOrDefault(p => p[0] == "secret")?[1];
    }

    private async Task<int> IssueBatchAsync(int from, int count, TimeSpan behind, CancellationToken cancellationToken)
    {
        for (int i = 0; i < count; i++)
        {
            // Spread over the weeks after the batch's start, a few hours apart.
            _clock.Behind = behind - TimeSpan.FromHours(9 * i);
            long id = await SubmittedAsync(_people[from + i], "new", cancellationToken);
            await _core.Get<EnrollmentReview>().ApproveAsync(id, OfficerPassphrase, _officer, cancellationToken);
        }
        return from + count;
    }

    /// <summary>An application taken through the agency head's and the holder's steps and submitted.</summary>
    private async Task<long> SubmittedAsync(DemoPerson person, string kind, CancellationToken cancellationToken, string passphrase = HolderPassphrase)
    {
        long id = await DraftAsync(person, kind, attach: true, cancellationToken);
        await ConfirmAsync(id, person, passphrase, cancellationToken);
        await _core.Get<Enrollments>().SubmitAsync(id, _heads[person.Agency.Code], cancellationToken);
        return id;
    }

    private async Task<long> DraftAsync(DemoPerson person, string kind, bool attach, CancellationToken cancellationToken)
    {
        Principal head = _heads[person.Agency.Code];
        string desk = $"sekretariat.{person.Agency.Code.ToLowerInvariant()}@{Domain}";
        EnrollmentSnapshot created = await _core.Get<Enrollments>().CreateAsync(new NewEnrollment(person.Nip, desk, kind), head, null, cancellationToken);
        if (attach)
        {
            foreach (DocumentKind document in DocumentIntake.RequiredFor(LifecycleTerms.ParseKind(kind)))
            {
                await _core.Get<Enrollments>().AttachAsync(created.Id, document, Document(document, person), document.ToName() + ".pdf", head, cancellationToken);
            }
        }
        return created.Id;
    }

    private async Task ConfirmAsync(long id, DemoPerson person, string passphrase, CancellationToken cancellationToken)
    {
        string body = (await _core.Get<Core.Notifications.MailOutbox>().PendingForAsync(person.Email, Principal.Console, cancellationToken))?.Body ?? "";
        System.Text.RegularExpressions.Match match = System.Text.RegularExpressions.Regex.Match(body, "code=([A-Z0-9]{8})");
        string code = match.Success ? match.Groups[1].Value : throw new InvalidOperationException("The confirmation mail carries no code.");
        await _core.Get<Enrollments>().ConfirmAsync(id, new HolderConfirmation(code, _agreement, passphrase), "demo", cancellationToken);
    }

    private static byte[] Document(DocumentKind kind, DemoPerson person) => PlainPdf.Pages([PlainPdf.TextLines(
    [
        kind switch
        {
            DocumentKind.RequestLetter => "Surat Permohonan Penerbitan Sertifikat Elektronik",
            DocumentKind.RecommendationLetter => "Surat Rekomendasi Pimpinan Perangkat Daerah",
            DocumentKind.RegistrationForm => "Formulir Pendaftaran Pemilik Sertifikat Elektronik",
            DocumentKind.IdCard => "Kartu Tanda Penduduk (salinan pindai)",
            DocumentKind.AppointmentDecree => "Surat Keputusan Pengangkatan dalam Jabatan",
            DocumentKind.SuperiorStatement => "Surat Pernyataan Atasan Langsung",
            _ => "Dokumen",
        },
        "",
        $"Nama    : {person.Name}",
        $"NIP     : {person.Nip}",
        $"Jabatan : {person.Position}",
        $"Unit    : {person.Unit}",
        $"Instansi: {person.Agency.Name}",
        "",
        "Dokumen contoh untuk demonstrasi Segel.",
    ])]);

    private async Task<int> RevocationsAsync(int next, CancellationToken cancellationToken)
    {
        // A transfer, requested by the agency head with the signed letter and approved by the RA (Pasal 17).
        DemoPerson moved = _people[40];
        string serial = await SerialOfAsync(moved, cancellationToken);
        Principal head = _heads[moved.Agency.Code];
        RevocationRequestSnapshot transfer = await _core.Get<RevocationRequests>().CreateAsync(new NewRevocationRequest(serial, "affiliationChanged",
            $"sekretariat.{moved.Agency.Code.ToLowerInvariant()}@{Domain}",
            PlainPdf.Pages([PlainPdf.TextLines(["Surat Permohonan Pencabutan Sertifikat", "", $"{moved.Name} ({moved.Nip}) pindah tugas ke Pemerintah Provinsi."])]),
            "surat-pencabutan.pdf", "Mutasi ke Pemerintah Provinsi Kalimantan Selatan"), head, null, cancellationToken);
        await _core.Get<RevocationRequests>().ApproveAsync(transfer.Id, OfficerPassphrase, _officer, cancellationToken);
        // A retirement still waiting for the RA.
        DemoPerson retiring = _people[41];
        await _core.Get<RevocationRequests>().CreateAsync(new NewRevocationRequest(await SerialOfAsync(retiring, cancellationToken), "cessationOfOperation",
            $"sekretariat.{retiring.Agency.Code.ToLowerInvariant()}@{Domain}",
            PlainPdf.Pages([PlainPdf.TextLines(["Surat Permohonan Pencabutan Sertifikat", "", $"{retiring.Name} ({retiring.Nip}) memasuki masa pensiun."])]),
            "surat-pensiun.pdf", "Pensiun"), _heads[retiring.Agency.Code], null, cancellationToken);
        // A sanction by the RA (Pasal 22).
        DemoPerson sanctioned = _people[42];
        await _core.Get<RevocationRequests>().CreateAsync(new NewRevocationRequest(await SerialOfAsync(sanctioned, cancellationToken), "privilegeWithdrawn",
            Statement: "Sanksi: sertifikat dipakai oleh orang lain (Pasal 22).", Passphrase: OfficerPassphrase), _officer, null, cancellationToken);
        // A holder reports a lost key: revoked at once (Pasal 19d), then re-issued on a new application.
        DemoPerson lost = _people[43];
        Principal holder = await HolderAccountAsync(lost, "holder-lost-key", cancellationToken);
        await _core.Get<RevocationRequests>().CreateAsync(new NewRevocationRequest(await SerialOfAsync(lost, cancellationToken), "keyCompromise",
            Statement: "Laptop dinas hilang."), holder, null, cancellationToken);
        _log.WriteLine("  revocations: a transfer (approved), a retirement (waiting), a sanction, a lost key");
        return next;
    }

    private async Task<int> OpenApplicationsAsync(int next, CancellationToken cancellationToken)
    {
        // Waiting in the RA's queue: new applications and renewals of the expiring certificates.
        for (int i = 0; i < 12; i++)
        {
            _clock.Behind = TimeSpan.FromHours(12 * (12 - i));
            await SubmittedAsync(_people[next + i], "new", cancellationToken);
        }
        next += 12;
        for (int i = 0; i < 5; i++)
        {
            await SubmittedAsync(_people[19 + i], "renewal", cancellationToken);
        }
        _clock.Behind = TimeSpan.Zero;
        // Sent back with a reason, to be fixed by the agency.
        for (int i = 0; i < 3; i++)
        {
            long id = await SubmittedAsync(_people[next + i], "new", cancellationToken);
            await _core.Get<EnrollmentReview>().RejectAsync(id, "Scan KTP tidak terbaca; mohon unggah ulang dengan resolusi lebih baik.", OfficerPassphrase, _officer, cancellationToken);
        }
        next += 3;
        // Being prepared: documents attached, the holder has not confirmed yet; and one with documents still missing.
        for (int i = 0; i < 4; i++)
        {
            await DraftAsync(_people[next + i], "new", attach: i != 0, cancellationToken);
        }
        next += 4;
        // Withdrawn by the agency.
        long withdrawn = await DraftAsync(_people[next], "new", attach: false, cancellationToken);
        await _core.Get<Enrollments>().CancelAsync(withdrawn, _heads[_people[next].Agency.Code], cancellationToken);
        next++;
        _log.WriteLine("  applications: 17 waiting for the RA (5 renewals), 3 sent back, 4 being prepared, 1 withdrawn");
        return next;
    }

    /// <summary>Holders sign letters themselves (as in the portal), kept as files for the reader to verify.</summary>
    private async Task LettersAsync(string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        string[] subjects = ["Undangan Rapat Koordinasi Persandian", "Surat Edaran Penggunaan Sertifikat Elektronik", "Nota Dinas Laporan Kegiatan"];
        for (int i = 0; i < subjects.Length; i++)
        {
            DemoPerson signer = _people[50 + i];
            Principal holder = await HolderAccountAsync(signer, i == 0 ? "holder" : null, cancellationToken);
            byte[] letter = PlainPdf.Pages([PlainPdf.TextLines(
            [
                $"PEMERINTAH {_core.Options.Ca.Organization.ToUpperInvariant()}",
                signer.Agency.Name,
                "",
                $"Nomor  : 800/{120 + i}/{signer.Agency.Code}/2026",
                $"Perihal: {subjects[i]}",
                "",
                "Dengan hormat,",
                "Bersama ini kami sampaikan hal tersebut di atas untuk dapat dilaksanakan.",
                "Demikian, atas perhatian Saudara kami ucapkan terima kasih.",
                "",
                signer.Position,
                signer.Name,
            ])]);
            SignedDocument signed = (await _core.Get<RemoteSigning>().SignAsync(new PdfSigningRequest
            {
                Documents = [new PdfToSign(letter, $"surat-{i + 1}.pdf")],
                Passphrase = HolderPassphrase,
                Placement = new SignaturePlacement { X = 330, Y = 300 },
                Reason = "Menyetujui isi surat",
                Location = "Batulicin",
            }, holder, "demo", cancellationToken))[0];
            string path = Path.Combine(folder, $"surat-{i + 1}-ditandatangani.pdf");
            await File.WriteAllBytesAsync(path, signed.Content, cancellationToken);
            Letters.Add($"{path}  →  {signed.VerificationUrl}");
        }
    }

    /// <summary>Five wrong passphrases lock a holder's key; an RA officer unlocks it in the portal.</summary>
    private async Task LockOneKeyAsync(CancellationToken cancellationToken)
    {
        DemoPerson careless = _people[55];
        Principal holder = await HolderAccountAsync(careless, null, cancellationToken);
        for (int i = 0; i < 5; i++)
        {
            try
            {
                await _core.Get<RemoteSigning>().SignAsync(new PdfSigningRequest { Documents = [new PdfToSign(PlainPdf.Pages([PlainPdf.TextLines(["Coba"])]))], Passphrase = $"salah sekali {i}" },
                    holder, "demo", cancellationToken);
            }
            catch (SegelException e) when (e.Code is SigningErrors.WrongPassphrase or SigningErrors.Locked)
            {
                // Expected: this holder forgot the passphrase.
            }
        }
        _log.WriteLine($"  {careless.Name} locked their key with wrong passphrases (status SUSPEND)");
    }

    /// <summary>
    /// The holder's account was made with their certificate (username: the NIP); they open it as a real holder does, with
    /// the link from the invitation e-mail (a fresh one, so the newest mail to them is it), and sign in.
    /// </summary>
    private async Task<Principal> HolderAccountAsync(DemoPerson person, string? printAs, CancellationToken cancellationToken)
    {
        await _core.Get<Invitations>().SendAsync(person.Nip, Principal.Console, "demo", cancellationToken);
        string body = (await _core.Get<Core.Notifications.MailOutbox>().PendingForAsync(person.Email, Principal.Console, cancellationToken))?.Body ?? "";
        System.Text.RegularExpressions.Match link = System.Text.RegularExpressions.Regex.Match(body, "/undangan/([A-Za-z0-9_-]+)");
        string username = await _core.Get<Invitations>().AcceptAsync(link.Success ? link.Groups[1].Value : throw new InvalidOperationException("The invitation mail carries no link."),
            Password, "demo", cancellationToken);
        SignInResult signedIn = await _core.Get<UserAccounts>().SignInAsync(username, Password, null, "demo", cancellationToken);
        if (printAs is not null)
        {
            _signIns.Add(new DemoSignIn(printAs, username, null,
                printAs == "holder" ? $"{person.Name}: my certificate, sign a PDF, PKCS#12, passphrase" : $"{person.Name}: reported a lost key"));
        }
        return signedIn.Principal ?? throw new InvalidOperationException($"{username} could not sign in: {signedIn.Outcome}.");
    }

    private async Task<string> SerialOfAsync(DemoPerson person, CancellationToken cancellationToken) =>
        (await _core.Get<HolderStatuses>().FindAsync(null, person.Nip, Principal.Console, cancellationToken)).CertificateSerial
            ?? throw new InvalidOperationException($"{person.Nip} has no valid certificate.");
}
