using Microsoft.EntityFrameworkCore;
using Segel.Core.Accounts;
using Segel.Core.Audit;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Notifications;
using Segel.Core.Privacy;
using Segel.Core.Settings;
using Segel.Core.Storage;
using Segel.Texts;

namespace Segel.Core.Organization;

/// <summary>
/// Bulk import of employees from CSV. Every row is checked first; if any is wrong, nothing is written and
/// the report says which rows and why. Otherwise the whole file commits in one transaction, with an audit
/// record per employee created or changed. A re-import updates employees by NIP instead of duplicating them.
/// With <see cref="EmployeeImportOptions.OpenAccounts"/> every employee without an account gets one, disabled until the
/// holder sets its password through the single-use link e-mailed to the official address (issue 20.1), in the same
/// transaction; an <c>agency_head</c> column designates the agencies' heads; with <see cref="EmployeeImportOptions.Complete"/>
/// the accounts of employees missing from the file are disabled (never deleted: their records and history stay).
/// </summary>
public sealed class EmployeeImport
{
    public const long MaxFileBytes = 50L * 1024 * 1024;
    public const int ProgressEvery = 50;
    private readonly SegelDatabase _database;
    private readonly PersonalDataProtector _personalData;
    private readonly RegencySettingsStore _settings;
    private readonly TimeProvider _time;
    private readonly Invitations _invitations;
    private readonly MailOutbox _outbox;
    private readonly RevocationProposals _proposals;

    internal EmployeeImport(SegelDatabase database, PersonalDataProtector personalData, RegencySettingsStore settings, Invitations invitations, MailOutbox outbox,
        RevocationProposals proposals, TimeProvider time)
    {
        _proposals = proposals;
        _invitations = invitations;
        _outbox = outbox;
        _database = database;
        _personalData = personalData;
        _settings = settings;
        _time = time;
    }

    /// <summary>The import as a signed-in person asks for it: administrators only.</summary>
    public Task<ImportReport> ImportCsvAsync(Stream csv, Principal by, string? origin, bool dryRun = false, IProgress<ImportProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        ImportCsvAsync(csv, by, origin, new EmployeeImportOptions(dryRun), progress, cancellationToken);

    /// <summary>The import as a signed-in person asks for it, with its options: administrators only.</summary>
    public Task<ImportReport> ImportCsvAsync(Stream csv, Principal by, string? origin, EmployeeImportOptions options, IProgress<ImportProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin, "import-employees");
        return RunAsync(csv, by.ToActor(origin), options, by.Name, progress, cancellationToken);
    }

    /// <summary>Imports (or with <paramref name="dryRun"/> only checks) a file; <paramref name="progress"/> hears how far each phase is, every <see cref="ProgressEvery"/> rows.</summary>
    public Task<ImportReport> ImportCsvAsync(Stream csv, Actor actor, bool dryRun = false, IProgress<ImportProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        ImportCsvAsync(csv, actor, new EmployeeImportOptions(dryRun), progress, cancellationToken);

    /// <summary>Imports (or only checks) a file with <paramref name="options"/>, as the console or the system asks for it.</summary>
    public Task<ImportReport> ImportCsvAsync(Stream csv, Actor actor, EmployeeImportOptions options, IProgress<ImportProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(csv, actor, options, null, progress, cancellationToken);

    /// <summary>
    /// <paramref name="self"/> is the importing account, which a complete import never disables (an administrator missing
    /// from the file would lock themselves out).
    /// </summary>
    private async Task<ImportReport> RunAsync(Stream csv, Actor actor, EmployeeImportOptions options, string? self, IProgress<ImportProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        bool dryRun = options.DryRun;
        ArgumentNullException.ThrowIfNull(csv);
        if (csv.CanSeek && csv.Length > MaxFileBytes)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.FileLargerMiB2", MaxFileBytes / 1024 / 1024));
        }
        EmployeeFile file = EmployeeCsvReader.Read(csv);
        List<EmployeeLine> lines = file.Lines;
        if (lines.Count == 0)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.FileHeaderButNoEmployees"));
        }

        await using SegelDbContext db = _database.CreateContext();
        Dictionary<string, EmployeeRecord> byNip = await db.Employees.ToDictionaryAsync(e => e.Nip, StringComparer.Ordinal, cancellationToken);
        Dictionary<string, string> nipByNik = byNip.Values.ToDictionary(e => Convert.ToHexString(e.NikLookup), e => e.Nip, StringComparer.Ordinal);
        Dictionary<string, string> nipByEmail = byNip.Values.ToDictionary(e => e.Email, e => e.Nip, StringComparer.OrdinalIgnoreCase);
        Dictionary<string, AgencyRecord> agencies = await db.Agencies.ToDictionaryAsync(a => a.Code, StringComparer.OrdinalIgnoreCase, cancellationToken);
        var units = (await db.WorkUnits.ToListAsync(cancellationToken)).ToDictionary(u => (u.AgencyId, u.Name.ToUpperInvariant()));
        RegencySettings settings = await _settings.GetAsync(db, cancellationToken);

        var checkedRows = new List<(EmployeeLine Line, ValidRow? Row, List<Localized> Problems)>();
        var seenNip = new Dictionary<string, int>(StringComparer.Ordinal);
        var seenNik = new Dictionary<string, int>(StringComparer.Ordinal);
        var seenEmail = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (EmployeeLine line in lines)
        {
            Report(progress, ImportPhase.Checking, checkedRows.Count, lines.Count);
            var problems = new List<Localized>();
            ValidRow? row = Validate(line, settings, file.HasStatus, problems);
            if (row is not null)
            {
                string nikKey = Convert.ToHexString(row.NikLookup);
                Check(seenNip, row.Nip, line.Line, "this-nip", problems);
                Check(seenNik, nikKey, line.Line, "this-nik", problems);
                Check(seenEmail, row.Email, line.Line, "this-e-mail-address", problems);
                if (nipByNik.TryGetValue(nikKey, out string? owner) && owner != row.Nip)
                {
                    problems.Add(Localized.Of("Error.NikAlreadyRegisteredAnotherEmployee"));
                }
                if (nipByEmail.TryGetValue(row.Email, out string? emailOwner) && emailOwner != row.Nip)
                {
                    problems.Add(Localized.Of("Error.EMailAddressAlreadyRegistered"));
                }
                if (!agencies.ContainsKey(row.AgencyCode) && row.AgencyName is null)
                {
                    problems.Add(Localized.Of("Error.AgencyNewGiveAgencyName", row.AgencyCode));
                }
            }
            checkedRows.Add((line, problems.Count == 0 ? row : null, problems));
        }

        if (dryRun || checkedRows.Any(r => r.Problems.Count > 0))
        {
            ImportAccounts preview = checkedRows.Any(r => r.Problems.Count > 0) ? new ImportAccounts()
                : await ImportAccountChanges.PreviewAsync(db,
                    checkedRows.Where(r => Serving(r.Row!, byNip)).Select(r => r.Row!.Nip).ToList(),
                    checkedRows.Where(r => !Serving(r.Row!, byNip)).Select(r => r.Row!.Nip).ToHashSet(StringComparer.Ordinal), options, self, cancellationToken);
            return new ImportReport(checkedRows.Select(r => new ImportRowResult(r.Line.Line, r.Line.Nip,
                r.Problems.Count > 0 ? ImportOutcome.Rejected : Plan(r.Row!, byNip, agencies, units), r.Problems)).ToList(), Applied: false) { Accounts = preview };
        }

        List<ValidRow> rows = checkedRows.Select(r => r.Row!).ToList();
        DateTimeOffset now = _time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            // New agencies and work units first, so that employees can point at their ids.
            foreach (ValidRow row in rows.Where(r => !agencies.ContainsKey(r.AgencyCode)))
            {
                var agency = new AgencyRecord { Code = row.AgencyCode, Name = row.AgencyName!, CreatedAt = now };
                agencies[row.AgencyCode] = agency;
                db.Agencies.Add(agency);
                AuditLog.Record(db, _time, actor, "agency.created", agency.Code, new { name = agency.Name });
            }
            await db.SaveChangesAsync(cancellationToken);
            foreach (ValidRow row in rows.Where(r => r.WorkUnit is not null))
            {
                int agencyId = agencies[row.AgencyCode].Id;
                if (!units.ContainsKey((agencyId, row.WorkUnit!.ToUpperInvariant())))
                {
                    var unit = new WorkUnitRecord { AgencyId = agencyId, Name = row.WorkUnit };
                    units[(agencyId, row.WorkUnit.ToUpperInvariant())] = unit;
                    db.WorkUnits.Add(unit);
                }
            }
            await db.SaveChangesAsync(cancellationToken);

            var results = new List<ImportRowResult>(rows.Count);
            var inFile = new List<(EmployeeRecord Employee, ValidRow Row)>(rows.Count);
            var hrChanges = new List<PersonnelChange>();
            foreach ((EmployeeLine line, ValidRow? row, _) in checkedRows)
            {
                Report(progress, ImportPhase.Saving, results.Count, checkedRows.Count);
                AgencyRecord agency = agencies[row!.AgencyCode];
                int? unitId = row.WorkUnit is null ? null : units[(agency.Id, row.WorkUnit.ToUpperInvariant())].Id;
                (ImportOutcome outcome, EmployeeRecord employee, PersonnelChange? change) = Apply(db, row, agency, unitId, byNip, actor, now);
                results.Add(new ImportRowResult(line.Line, row.Nip, outcome, []));
                inFile.Add((employee, row));
                if (change is not null)
                {
                    hrChanges.Add(change);
                }
            }
            await db.SaveChangesAsync(cancellationToken);
            var accounts = new ImportAccounts();
            if (options.OpenAccounts)
            {
                HashSet<string> heads = inFile.Where(e => e.Row.AgencyHead == true).Select(e => e.Employee.Nip).ToHashSet(StringComparer.Ordinal);
                AccountsOpened opened = await _invitations.OpenAccountsIntoAsync(db, inFile.Select(e => e.Employee).Where(e => e.Status == (int)EmploymentStatus.Active).ToList(),
                    e => heads.Contains(e.Nip) ? Role.Subscriber | Role.AgencyHead : Role.Subscriber, actor, cancellationToken);
                accounts = accounts with { Made = opened.Made, Skipped = opened.Skipped };
            }
            if (file.HasAgencyHead)
            {
                accounts = accounts with { HeadsChanged = await ImportAccountChanges.DesignateHeadsAsync(db, inFile.Select(e => (e.Employee, e.Row.AgencyHead == true)).ToList(), actor, _time, cancellationToken) };
            }
            // Those who are no longer in service (retired, deceased, dismissed) and, with a complete file, those not in it.
            HashSet<long> serving = inFile.Where(e => e.Employee.Status == (int)EmploymentStatus.Active).Select(e => e.Employee.Id).ToHashSet();
            HashSet<long> closing = inFile.Where(e => e.Employee.Status != (int)EmploymentStatus.Active).Select(e => e.Employee.Id).ToHashSet();
            accounts = accounts with
            {
                Disabled = await ImportAccountChanges.DisableLeaversAsync(db, e => options.Complete ? !serving.Contains(e) : closing.Contains(e), self, actor, _time, cancellationToken),
            };
            int proposed = await _proposals.ProposeIntoAsync(db, hrChanges, actor, cancellationToken);
            AuditLog.Record(db, _time, actor, "employees.imported", $"{results.Count} rows", new
            {
                created = results.Count(r => r.Outcome == ImportOutcome.Created),
                updated = results.Count(r => r.Outcome == ImportOutcome.Updated),
                unchanged = results.Count(r => r.Outcome == ImportOutcome.Unchanged),
                accountsMade = accounts.Made,
                headsChanged = accounts.HeadsChanged,
                accountsDisabled = accounts.Disabled,
                revocationsProposed = proposed,
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (accounts.Made > 0 || proposed > 0)
            {
                _outbox.NotifyQueued();
            }
            return new ImportReport(results, Applied: true) { Accounts = accounts, RevocationsProposed = proposed };
        }
        catch (DbUpdateException e) when (SegelDatabase.IsUniqueViolation(e))
        {
            throw SegelException.Conflict(Localized.Of("Error.AnotherImportChangeTouchedSame"));
        }
    }

    private ValidRow? Validate(EmployeeLine line, RegencySettings settings, bool hasStatus, List<Localized> problems)
    {
        EmploymentStatus? status = hasStatus ? EmploymentStatuses.Read(line.Status, line.RetirementDate, _time.GetUtcNow(), problems) : null;
        if (!IdentityNumbers.TryValidateNip(line.Nip, out string nip, out Localized? nipProblem))
        {
            problems.Add(nipProblem!);
        }
        if (!IdentityNumbers.TryValidateNik(line.Nik, out string nik, out Localized? nikProblem))
        {
            problems.Add(nikProblem!);
        }
        string? name = Guard(() => SubjectValidation.Name(line.Name, "name"), problems);
        string? email = Guard(() => SubjectValidation.Email(line.Email), problems);
        if (email is not null && !settings.IsOfficial(email))
        {
            problems.Add(Localized.Of("Error.EMailAddressPasal14", settings.DomainList));
        }
        string? code = line.AgencyCode?.ToUpperInvariant();
        if (!AgencyRegistry.IsCode(code))
        {
            problems.Add(Localized.Of("Error.AgencyCode232Letters"));
        }
        bool? head = null;
        if (line.AgencyHead is { } mark)
        {
            head = mark.ToLowerInvariant() switch
            {
                "ya" or "yes" or "y" or "true" or "1" or "x" => true,
                "tidak" or "no" or "n" or "t" or "false" or "0" or "-" => false, // values in a file, not texts
                _ => null,
            };
            if (head is null)
            {
                problems.Add(Localized.Of("Error.AgencyHeadYaYesTidak")); // values in a file, not texts
            }
        }
        if (line.Position?.Length > 200 || line.WorkUnit?.Length > 200 || line.AgencyName?.Length > 200)
        {
            problems.Add(Localized.Of("Error.PositionWorkUnitAgencyName"));
        }
        if (problems.Count > 0)
        {
            return null;
        }
        return new ValidRow(nip, nik, _personalData.Lookup(PersonalDataProtector.NikPurpose, nik), name!, line.Position, code!, line.AgencyName, line.WorkUnit, email!.ToLowerInvariant(), head, status);
    }

    /// <summary>Whether the row's employee is in service after the import (a file without status columns keeps what is stored).</summary>
    private static bool Serving(ValidRow row, Dictionary<string, EmployeeRecord> byNip) =>
        (row.Status ?? (byNip.TryGetValue(row.Nip, out EmployeeRecord? e) ? (EmploymentStatus)e.Status : EmploymentStatus.Active)) == EmploymentStatus.Active;

    private static ImportOutcome Plan(ValidRow row, Dictionary<string, EmployeeRecord> byNip, Dictionary<string, AgencyRecord> agencies,
        Dictionary<(int, string), WorkUnitRecord> units)
    {
        if (!byNip.TryGetValue(row.Nip, out EmployeeRecord? existing))
        {
            return ImportOutcome.Created;
        }
        // An agency or work unit that does not exist yet gets -1, an id no employee has: that row changes.
        int? agencyId = agencies.TryGetValue(row.AgencyCode, out AgencyRecord? a) ? a.Id : null;
        int? unitId = agencyId is int id && row.WorkUnit is not null && units.TryGetValue((id, row.WorkUnit.ToUpperInvariant()), out WorkUnitRecord? u) ? u.Id : null;
        return Changes(existing, row, agencyId ?? -1, row.WorkUnit is null ? null : unitId ?? -1).Count == 0 ? ImportOutcome.Unchanged : ImportOutcome.Updated;
    }

    /// <summary>Writes one row; returns its outcome, the employee, and the change that is a reason to revoke (Pasal 17(1)), if it made one.</summary>
    private (ImportOutcome, EmployeeRecord, PersonnelChange?) Apply(SegelDbContext db, ValidRow row, AgencyRecord agency, int? workUnitId,
        Dictionary<string, EmployeeRecord> byNip, Actor actor, DateTimeOffset now)
    {
        if (!byNip.TryGetValue(row.Nip, out EmployeeRecord? employee))
        {
            employee = new EmployeeRecord
            {
                Nip = row.Nip,
                NikSealed = _personalData.Seal(PersonalDataProtector.NikPurpose, row.Nik),
                NikLookup = row.NikLookup,
                Name = row.Name,
                Position = row.Position,
                AgencyId = agency.Id,
                WorkUnitId = workUnitId,
                Email = row.Email,
                Status = (int)(row.Status ?? EmploymentStatus.Active),
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Employees.Add(employee);
            AuditLog.Record(db, _time, actor, "employee.created", row.Nip,
                new { name = row.Name, position = row.Position, agency = agency.Code, workUnit = row.WorkUnit, email = row.Email, status = (row.Status ?? EmploymentStatus.Active).ToName() });
            return (ImportOutcome.Created, employee, null);
        }
        List<string> changed = Changes(employee, row, agency.Id, workUnitId);
        if (changed.Count == 0)
        {
            return (ImportOutcome.Unchanged, employee, null);
        }
        var formerStatus = (EmploymentStatus)employee.Status;
        int formerAgency = employee.AgencyId;
        var before = new { name = employee.Name, position = employee.Position, agencyId = employee.AgencyId, workUnitId = employee.WorkUnitId, email = employee.Email, status = formerStatus.ToName() };
        if (changed.Contains("nik"))
        {
            employee.NikSealed = _personalData.Seal(PersonalDataProtector.NikPurpose, row.Nik);
            employee.NikLookup = row.NikLookup;
        }
        employee.Name = row.Name;
        employee.Position = row.Position;
        employee.AgencyId = agency.Id;
        employee.WorkUnitId = workUnitId;
        employee.Email = row.Email;
        employee.Status = (int)(row.Status ?? formerStatus);
        employee.UpdatedAt = now;
        // The NIK itself never goes into the audit record: only that it changed.
        AuditLog.Record(db, _time, actor, "employee.updated", row.Nip, new
        {
            changed,
            before,
            after = new { name = row.Name, position = row.Position, agencyId = agency.Id, workUnitId, email = row.Email, status = ((EmploymentStatus)employee.Status).ToName() },
        });
        return (ImportOutcome.Updated, employee, PersonnelChangeOf(employee, formerAgency, formerStatus));
    }

    /// <summary>
    /// Leaving the service outweighs a move (a retiree's certificate goes for the retirement, whatever agency the file now
    /// names); a move of someone still serving is a transfer. A return to active service starts nothing.
    /// </summary>
    private static PersonnelChange? PersonnelChangeOf(EmployeeRecord employee, int formerAgency, EmploymentStatus formerStatus)
    {
        var status = (EmploymentStatus)employee.Status;
        if (status != formerStatus && status != EmploymentStatus.Active)
        {
            RevocationGround ground = status switch
            {
                EmploymentStatus.Retired => RevocationGround.Retirement,
                EmploymentStatus.Deceased => RevocationGround.Death,
                _ => RevocationGround.Dismissal,
            };
            return new PersonnelChange(employee, formerAgency, ground);
        }
        return status == EmploymentStatus.Active && employee.AgencyId != formerAgency ? new PersonnelChange(employee, formerAgency, RevocationGround.Transfer) : null;
    }

    private static List<string> Changes(EmployeeRecord existing, ValidRow row, int agencyId, int? workUnitId)
    {
        var changed = new List<string>();
        void Compare(bool same, string field)
        {
            if (!same)
            {
                changed.Add(field);
            }
        }
        Compare(existing.Name == row.Name, "name");
        Compare(existing.Position == row.Position, "position");
        Compare(string.Equals(existing.Email, row.Email, StringComparison.OrdinalIgnoreCase), "email");
        Compare(existing.NikLookup.AsSpan().SequenceEqual(row.NikLookup), "nik");
        Compare(existing.AgencyId == agencyId, "agency");
        Compare(existing.WorkUnitId == workUnitId, "workUnit");
        Compare(row.Status is not EmploymentStatus status || existing.Status == (int)status, "status");
        return changed;
    }

    private static void Report(IProgress<ImportProgress>? progress, ImportPhase phase, int done, int total)
    {
        if (progress is not null && done % ProgressEvery == 0)
        {
            progress.Report(new ImportProgress(phase, done, total));
        }
    }

    private static void Check(Dictionary<string, int> seen, string key, int line, string what, List<Localized> problems)
    {
        if (seen.TryGetValue(key, out int first))
        {
            problems.Add(Localized.Of("Error.DuplicateOnLine", what, first));
        }
        else
        {
            seen[key] = line;
        }
    }

    private static string? Guard(Func<string> validate, List<Localized> problems)
    {
        try
        {
            return validate();
        }
        catch (SegelException e)
        {
            problems.Add(e.Text);
            return null;
        }
    }

    private sealed record ValidRow(string Nip, string Nik, byte[] NikLookup, string Name, string? Position, string AgencyCode,
        string? AgencyName, string? WorkUnit, string Email, bool? AgencyHead, EmploymentStatus? Status);
}
