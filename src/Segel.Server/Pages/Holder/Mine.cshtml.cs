using Microsoft.AspNetCore.Mvc;
using Segel.Core.Custody;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Organization;
using Segel.Core.Lifecycle;
using Segel.Core.Signing;
using Segel.Server.Portal;
using Segel.Server.Security;
using Segel.Texts;

namespace Segel.Server.Pages.Holder;

/// <summary>
/// The holder's own certificate and key: validity, downloads (certificate, and PKCS#12 under an export password
/// of their choosing), passphrase change, signing with e-mailed codes, and reporting a lost or compromised key —
/// which revokes at once (Pasal 19d). Every action is the holder's own and takes their passphrase where the core asks.
/// </summary>
[PortalAccess(ForHolders = true)]
[RequestSizeLimit(DocumentIntake.MaxBytes + 64 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = DocumentIntake.MaxBytes + 64 * 1024)]
public sealed class MineModel(OwnKeys ownKeys, RevocationRequests revocations, SignatureRecords signatures, Enrollments enrollments, KeyRecoveryRequests recoveries)
    : PortalPage
{
    /// <summary>Which kept key the PKCS#12 carries: a certificate's serial (an encryption certificate's), or empty for the signing one.</summary>
    [BindProperty]
    public string? KeySerial { get; set; }

    /// <summary>Why the holder asks to recover their encryption keys (issue 23.5).</summary>
    [BindProperty]
    public string? RecoveryStatement { get; set; }

    /// <summary>The holder's newest key-recovery request, open or not.</summary>
    public KeyRecoveryRequestView? Recovery { get; private set; }

    /// <summary>The holder's encryption certificates whose keys Segel still keeps (issue 23.5): exportable, and recoverable.</summary>
    public IReadOnlyList<OwnCertificate> EncryptionKeys => Own?.Certificates.Where(c => c.Profile == "encryption" && c.KeyDestroyedAt is null).ToList() ?? [];

    /// <summary>The direct superior's signed statement, for a re-issuance after a forgotten passphrase (Pasal 15(4)).</summary>
    [BindProperty]
    public IFormFile? SuperiorStatement { get; set; }

    /// <summary>The holder's own re-issuance still open, if any.</summary>
    public OwnReissueView? Reissue { get; private set; }

    [BindProperty]
    public string? Passphrase { get; set; }

    [BindProperty]
    public string? NewPassphrase { get; set; }

    [BindProperty]
    public string? RepeatPassphrase { get; set; }

    [BindProperty]
    public string? ExportPassword { get; set; }

    [BindProperty]
    public string? Statement { get; set; }

    /// <summary>Which of Pasal 19(d)'s grounds the holder reports: misuse, wrong-information, key-lost or key-leaked.</summary>
    [BindProperty]
    public string? Ground { get; set; }

    public OwnKeyOverview? Own { get; private set; }

    public string? Done { get; private set; }

    /// <summary>How many of the holder's latest signatures the page lists.</summary>
    public const int HistorySize = 20;

    /// <summary>The holder's own latest signatures, from the record of signatures (each with its public verification page).</summary>
    public Page<SignatureListItem> History { get; private set; } = new([], 0, 0, HistorySize);

    /// <summary>Whether a valid certificate runs out soon enough to renew now.</summary>
    public bool ExpiringSoon(DateTimeOffset notAfter) => EmployeeDirectory.IsExpiring(notAfter, Now);

    /// <summary>Which form an error belongs to, so it shows under that form's fields only.</summary>
    public string? FailedForm { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        Done = TempData[DoneKey] as string;
        return await LoadAsync();
    }

    public async Task<IActionResult> OnGetCertificateAsync(string serial)
    {
        await LoadAsync();
        OwnCertificate? certificate = Own?.Certificates.FirstOrDefault(c => c.Serial == serial);
        return certificate is null ? NotFound() : File(certificate.Der, "application/pkix-cert", $"{certificate.Serial}.cer");
    }

    public Task<IActionResult> OnPostPassphraseAsync() => ActAsync("passphrase", async cancel =>
    {
        if (NewPassphrase != RepeatPassphrase)
        {
            throw SegelException.Invalid(nameof(RepeatPassphrase), Localized.Of("Error.PassphrasesDiffer"));
        }
        await ownKeys.ChangePassphraseAsync(Caller, Passphrase, NewPassphrase, Origin, cancel);
        return "DonePassphrase";
    });

    public async Task<IActionResult> OnPostPkcs12Async()
    {
        byte[] pkcs12;
        try
        {
            pkcs12 = await ownKeys.ExportPkcs12Async(Caller, KeySerial, Passphrase, ExportPassword ?? "", Origin, HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            return await FailAsync("pkcs12", e);
        }
        Response.Headers.CacheControl = "no-store";
        return File(pkcs12, "application/x-pkcs12", "sertifikat-segel.p12");
    }

    public Task<IActionResult> OnPostCodesOnAsync() => ActAsync("codes", async cancel =>
    {
        await ownKeys.SetCodeSigningAsync(Caller, true, Passphrase, Origin, cancel);
        return "DoneCodesOn";
    });

    public Task<IActionResult> OnPostCodesOffAsync() => ActAsync("codes", async cancel =>
    {
        await ownKeys.SetCodeSigningAsync(Caller, false, null, Origin, cancel);
        return "DoneCodesOff";
    });

    public Task<IActionResult> OnPostCompromisedAsync() => ActAsync("compromised", async cancel =>
    {
        OwnKeyOverview own = await ownKeys.OverviewAsync(Caller, cancel);
        string serial = own.Certificates.FirstOrDefault(c => c.Current)?.Serial
            ?? throw SegelException.Refused(Localized.Of("Error.YouHoldNoValidCertificateRevoke"));
        await revocations.CreateAsync(new NewRevocationRequest(serial, null, Statement: Statement, Ground: Ground ?? "misuse"), Caller, null, cancel);
        return "DoneCompromised";
    });

    /// <summary>Forgot the passphrase: the holder applies for re-issuance with the superior's statement; the rest of the file is reused.</summary>
    public Task<IActionResult> OnPostReissueAsync() => ActAsync("reissue", async cancel =>
    {
        byte[]? statement = SuperiorStatement is { Length: > 0 } file ? await PortalResults.ReadAsync(file) : null;
        await enrollments.StartReissueAsync(new HolderReissue(statement, SuperiorStatement?.FileName), Caller, cancel);
        return "DoneReissueStarted";
    });

    /// <summary>Sends the holder's confirmed re-issuance to the RA.</summary>
    public Task<IActionResult> OnPostReissueSubmitAsync(long id) => ActAsync("reissue", async cancel =>
    {
        await enrollments.SubmitAsync(id, Caller, cancel);
        return "DoneReissueSubmitted";
    });

    /// <summary>Lost passphrase, encryption keys escrowed: ask RA officers to recover them (issue 23.5).</summary>
    public Task<IActionResult> OnPostRecoveryAskAsync() => ActAsync("recovery", async cancel =>
    {
        await recoveries.RequestAsync(Caller, RecoveryStatement, Origin, cancel);
        return "DoneRecoveryAsked";
    });

    /// <summary>Approved: the holder seals the recovered keys under a new passphrase.</summary>
    public Task<IActionResult> OnPostRecoveryCompleteAsync(long id) => ActAsync("recovery", async cancel =>
    {
        if (NewPassphrase != RepeatPassphrase)
        {
            throw SegelException.Invalid(nameof(RepeatPassphrase), Localized.Of("Error.PassphrasesDiffer"));
        }
        await recoveries.CompleteAsync(id, NewPassphrase, Caller, Origin, cancel);
        return "DoneRecoveryCompleted";
    });

    public Task<IActionResult> OnPostRecoveryCloseAsync(long id) => ActAsync("recovery", async cancel =>
    {
        await recoveries.CloseAsync(id, Caller, Origin, cancel);
        return "DoneRecoveryClosed";
    });

    private Task<IActionResult> ActAsync(string form, Func<CancellationToken, Task<string>> action)
    {
        FailedForm = form;
        return ActAsync(action, LoadAsync, "/saya");
    }

    protected override void ForgetSecrets() => Passphrase = NewPassphrase = RepeatPassphrase = ExportPassword = null;

    private Task<IActionResult> FailAsync(string form, SegelException error)
    {
        FailedForm = form;
        return RefusedAsync(error, LoadAsync);
    }

    private async Task<IActionResult> LoadAsync()
    {
        try
        {
            Own = await ownKeys.OverviewAsync(Caller, HttpContext.RequestAborted);
            Reissue = await enrollments.OwnReissueAsync(Caller, HttpContext.RequestAborted);
            Recovery = await recoveries.NewestOwnAsync(Caller, HttpContext.RequestAborted);
            if (Own is { } own)
            {
                History = await signatures.ListAsync(own.Nip, null, null, 0, HistorySize, Caller, HttpContext.RequestAborted);
            }
        }
        catch (SegelException e)
        {
            return Failed(e);
        }
        return Page();
    }
}
