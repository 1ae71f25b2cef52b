using System.Globalization;
using System.Text.Json.Serialization;

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
/// format and values so a reader sees them in their language (<see cref="Errors.ErrorTexts"/>); <see cref="Problems"/> is English.
/// </summary>
public sealed record ImportRowResult(int Line, string? Nip, ImportOutcome Outcome, [property: JsonIgnore] IReadOnlyList<FormattableString> Reasons)
{
    public IReadOnlyList<string> Problems => Reasons.Select(r => r.ToString(CultureInfo.InvariantCulture)).ToList();

    public IReadOnlyList<string> ProblemsIn(CultureInfo culture) => Reasons.Select(r => Errors.ErrorTexts.Translate(r, culture)).ToList();
}

/// <summary>
/// The result of an import. <see cref="Applied"/> is false when any row was rejected (then nothing was
/// written) or on a dry run.
/// </summary>
public sealed record ImportReport(IReadOnlyList<ImportRowResult> Rows, bool Applied)
{
    public int Count(ImportOutcome outcome) => Rows.Count(r => r.Outcome == outcome);

    public bool HasRejections => Rows.Any(r => r.Outcome == ImportOutcome.Rejected);
}
