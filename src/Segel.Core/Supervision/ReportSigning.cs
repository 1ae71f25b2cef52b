using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Signing;
using Segel.Core.Storage;
using Segel.Pdf.Signing;
using Segel.Texts;

namespace Segel.Core.Supervision;

/// <summary>Who signs a report and the passphrase of their custody key.</summary>
public sealed record ReportSigner(string Username, string Passphrase);

/// <summary>
/// The report as a PDF, signed so that the report itself is evidence: PAdES B-LT (time-stamped, with the chain's
/// revocation data inside) by the head of the cryptography agency with their own custody key. The signer is an
/// administrator or policy administrator who is an employee with a key Segel keeps; only their passphrase opens it
/// (Pasal 15(3)), so the console may name the signer but cannot sign without them. The signature is recorded like any
/// other (signature record, audit record, transparency log). Without a signer the PDF is a marked draft.
/// </summary>
public sealed class ReportSigning
{
    private readonly PeriodReports _reports;
    private readonly RemoteSigning _signing;
    private readonly SegelDatabase _database;

    internal ReportSigning(PeriodReports reports, RemoteSigning signing, SegelDatabase database)
    {
        _reports = reports;
        _signing = signing;
        _database = database;
    }

    public async Task<byte[]> PdfAsync(ReportPeriod period, string? agency, CultureInfo language, ReportSigner? signer, Principal by, string? origin,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        Principal? signedBy = signer is null ? null : await SignerAsync(signer, by, cancellationToken);
        PeriodReport report = await _reports.ComputeAsync(period, agency, by, cancellationToken);
        return await WriteAsync(report, language, signer, signedBy, origin, cancellationToken);
    }

    /// <summary>Figures already computed — a stored report (<see cref="ScheduledReports.OpenAsync"/>) — as a PDF, signed or a draft.</summary>
    public async Task<byte[]> PdfAsync(PeriodReport report, CultureInfo language, ReportSigner? signer, Principal by, string? origin,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin | Role.PolicyAdmin | Role.Auditor | Role.AgencyHead, "read-supervision-reports");
        Principal? signedBy = signer is null ? null : await SignerAsync(signer, by, cancellationToken);
        return await WriteAsync(report, language, signer, signedBy, origin, cancellationToken);
    }

    private async Task<byte[]> WriteAsync(PeriodReport report, CultureInfo language, ReportSigner? signer, Principal? signedBy, string? origin,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(language);
        if (signer is null || signedBy is null)
        {
            return ReportPdf.Write(report, language, null);
        }
        byte[] pdf = ReportPdf.Write(report, language, signedBy.DisplayName ?? signedBy.Name);
        string name = ReportFiles.Name(report, "pdf");
        IReadOnlyList<SignedDocument> signed = await _signing.SignAsync(new PdfSigningRequest
        {
            Documents = [new PdfToSign(pdf, name)],
            Passphrase = signer.Passphrase,
            Level = PadesLevel.BaselineLT,
            Reason = ReportPdf.Text("PeriodReport.Signature.Reason", language),
        }, signedBy, origin, cancellationToken);
        return signed[0].Content;
    }

    /// <summary>The signer's own principal; refused unless they may sign reports and the caller is them or the console.</summary>
    private async Task<Principal> SignerAsync(ReportSigner signer, Principal by, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(signer.Username))
        {
            throw SegelException.Invalid("signer", Localized.Of("Error.NameAccountSignsReport"));
        }
        if (string.IsNullOrEmpty(signer.Passphrase))
        {
            throw SegelException.Invalid("passphrase", Localized.Of("Error.SignerPassphraseNeededSignReport"));
        }
        string username = signer.Username.Trim().ToLowerInvariant();
        await using SegelDbContext db = _database.CreateContext();
        UserRecord account = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Username == username, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoSuchAccount", username));
        var roles = (Role)account.Roles;
        if (account.Disabled || (roles & (Role.Admin | Role.PolicyAdmin)) == 0 || account.EmployeeId is null)
        {
            throw SegelException.Forbidden(Localized.Of("Error.NotSignSupervisionReportsSigner", username));
        }
        if (by.UserId is not null && by.UserId != account.Id)
        {
            throw SegelException.Forbidden(Localized.Of("Error.NotSignReportSignerSigns", by.Name, username));
        }
        return new Principal(account.Username, roles, account.AgencyId, account.Id, EmployeeId: account.EmployeeId, DisplayName: account.DisplayName);
    }
}
