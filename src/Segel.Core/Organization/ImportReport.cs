namespace Segel.Core.Organization;

public enum ImportOutcome
{
    Created,
    Updated,
    Unchanged,
    Rejected,
}

/// <summary>What happened to one line of an import file, and why it was rejected if it was.</summary>
public sealed record ImportRowResult(int Line, string? Nip, ImportOutcome Outcome, IReadOnlyList<string> Problems);

/// <summary>
/// The result of an import. <see cref="Applied"/> is false when any row was rejected (then nothing was
/// written) or on a dry run.
/// </summary>
public sealed record ImportReport(IReadOnlyList<ImportRowResult> Rows, bool Applied)
{
    public int Count(ImportOutcome outcome) => Rows.Count(r => r.Outcome == outcome);

    public bool HasRejections => Rows.Any(r => r.Outcome == ImportOutcome.Rejected);
}
