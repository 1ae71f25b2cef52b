namespace Segel.Core.Supervision;

/// <summary>One figure under a name: an agency's code, an application's name, a PAdES level, a revocation reason.</summary>
public sealed record Tally(string Key, long Count);

/// <summary>An agency's coverage at the period's end (Pasal 10(1): every civil servant holds a certificate).</summary>
public sealed record AgencyCoverage(string Code, string Name, int Employees, int Holders)
{
    /// <summary>Holders out of employees, in percent with one decimal; 0 for an agency without employees.</summary>
    public double Percent => Employees == 0 ? 0 : Math.Round(100.0 * Holders / Employees, 1);
}

/// <summary>A work unit's coverage at the period's end; <see cref="Name"/> is empty for employees in no work unit.</summary>
public sealed record WorkUnitCoverage(string Agency, string Name, int Employees, int Holders)
{
    public double Percent => Employees == 0 ? 0 : Math.Round(100.0 * Holders / Employees, 1);
}

/// <summary>Coverage at the end of a month of the period (or at the period's end for its last, partial month).</summary>
public sealed record CoveragePoint(string Month, int Employees, int Holders)
{
    public double Percent => Employees == 0 ? 0 : Math.Round(100.0 * Holders / Employees, 1);
}

/// <summary>The RA's work in the period (Pasal 16(2)): received, approved, sent back and why, how long a decision took.</summary>
public sealed record ApplicationFigures(int Received, int Approved, int SentBack, IReadOnlyList<Tally> SendBackReasons, double? TurnaroundMedianHours,
    double? TurnaroundP90Hours);

/// <summary>Certificates in the period: issued (of which renewals and re-issues), revoked by reason, run out without a successor, and those ending soon after.</summary>
public sealed record CertificateFigures(int Issued, int Renewed, int Reissued, IReadOnlyList<Tally> RevokedByReason, int ExpiredWithoutRenewal,
    int ExpiringNext90Days);

/// <summary>
/// The figures of a Pasal 25 supervision report for one period, for the whole regency or one agency: the same
/// object whatever it is written as (CSV, a workbook, a PDF). Complaints are the regency's (they name no agency), so an
/// agency's report has none.
/// </summary>
public sealed record PeriodReport(ReportPeriod Period, string? Agency, DateTimeOffset GeneratedAt, IReadOnlyList<AgencyCoverage> Coverage,
    IReadOnlyList<WorkUnitCoverage> WorkUnits, IReadOnlyList<CoveragePoint> Trend, ApplicationFigures Applications, CertificateFigures Certificates, IReadOnlyList<Tally> SignaturesByAgency, IReadOnlyList<Tally> SignaturesByApplication,
    IReadOnlyList<Tally> SignaturesByLevel, int KeyLockouts, int KeyUnlocks, int IssuedOutsideRa, bool AuditIntact,
    int? ComplaintsReceived = null, int? ComplaintsClosed = null, IReadOnlyList<FindingView>? Findings = null);
