using System.Globalization;
using System.Text.Json.Serialization;

using Segel.Texts;

namespace Segel.Core.Organization;

public enum ImportOutcome
{
    Created,
    Updated,
    Unchanged,
    Rejected,
}

public enum ImportPhase
{
    Checking,
    Saving,
}

/// <summary>How far an import is: <paramref name="Done"/> of <paramref name="Total"/> rows in <paramref name="Phase"/>.</summary>
public sealed record ImportProgress(ImportPhase Phase, int Done, int Total);

/// <summary>
/// What happened to one line of an import file, and why it was rejected if it was: <see cref="Reasons"/> keep their
/// format and values so a reader sees them in their language (<see cref="Localized"/>); <see cref="Problems"/> is English.
/// </summary>
public sealed record ImportRowResult(int Line, string? Nip, ImportOutcome Outcome, [property: JsonIgnore] IReadOnlyList<Localized> Reasons)
{
    public IReadOnlyList<string> Problems => Reasons.Select(r => r.ToString()).ToList();

    public IReadOnlyList<string> ProblemsIn(CultureInfo culture) => Reasons.Select(r => r.In(culture)).ToList();
}

/// <summary>
/// The result of an import. <see cref="Applied"/> is false when any row was rejected (then nothing was
/// written) or on a dry run.
/// </summary>
public sealed record ImportReport(IReadOnlyList<ImportRowResult> Rows, bool Applied)
{
    /// <summary>What the import did (or, on a dry run, would do) to portal accounts.</summary>
    public ImportAccounts Accounts { get; init; } = new();

    /// <summary>Revocation proposals opened because the file moved, retired or lost someone holding a certificate (Pasal 17(1)).</summary>
    public int RevocationsProposed { get; init; }

    public int Count(ImportOutcome outcome) => Rows.Count(r => r.Outcome == outcome);

    public bool HasRejections => Rows.Any(r => r.Outcome == ImportOutcome.Rejected);
}

/// <summary>
/// How an import is run. <see cref="OpenAccounts"/>: make a disabled account for every employee in the file who has none and
/// e-mail them the single-use link that opens it. <see cref="Complete"/>: the file is the whole personnel list, so the
/// accounts of employees not in it are disabled.
/// </summary>
public sealed record EmployeeImportOptions(bool DryRun = false, bool OpenAccounts = false, bool Complete = false);

/// <summary>
/// What an import did to accounts: <see cref="Made"/> accounts made and invited, <see cref="Skipped"/> NIPs that could not
/// get one (the NIP is another account's username), <see cref="HeadsChanged"/> accounts made or unmade agency heads by
/// the agency_head column, <see cref="Disabled"/> accounts of employees no longer in a complete file.
/// </summary>
public sealed record ImportAccounts(int Made = 0, int HeadsChanged = 0, int Disabled = 0)
{
    public IReadOnlyList<string> Skipped { get; init; } = [];
}
