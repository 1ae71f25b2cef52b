using System.Globalization;
using Segel.Core.Kernel;
using Segel.Texts;

namespace Segel.Core.Organization;

/// <summary>
/// The personnel file's status and retirement-date columns, read into an <see cref="EmploymentStatus"/>. An empty status
/// cell is active; a retirement date that has come makes an active employee retired.
/// </summary>
internal static class EmploymentStatuses
{
    private static readonly Dictionary<string, EmploymentStatus> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["active"] = EmploymentStatus.Active,
        ["aktif"] = EmploymentStatus.Active, // values in a file, not texts
        ["retired"] = EmploymentStatus.Retired,
        ["pensiun"] = EmploymentStatus.Retired, // values in a file, not texts
        ["deceased"] = EmploymentStatus.Deceased,
        ["meninggal"] = EmploymentStatus.Deceased, // values in a file, not texts
        ["meninggal dunia"] = EmploymentStatus.Deceased, // values in a file, not texts
        ["wafat"] = EmploymentStatus.Deceased, // values in a file, not texts
        ["dismissed"] = EmploymentStatus.Dismissed,
        ["diberhentikan"] = EmploymentStatus.Dismissed, // values in a file, not texts
        ["berhenti"] = EmploymentStatus.Dismissed, // values in a file, not texts
    };

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "dd-MM-yyyy", "dd/MM/yyyy"];

    public static EmploymentStatus? Read(string? status, string? retirementDate, DateTimeOffset now, List<Localized> problems)
    {
        EmploymentStatus read = EmploymentStatus.Active;
        if (status is not null && !Words.TryGetValue(status.Trim(), out read))
        {
            problems.Add(Localized.Of("Error.StatusActiveRetiredDeceasedDismissed")); // values in a file, not texts
            return null;
        }
        if (retirementDate is not null)
        {
            if (!DateOnly.TryParseExact(retirementDate.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly date))
            {
                problems.Add(Localized.Of("Error.RetirementDateDate203106"));
                return null;
            }
            if (read == EmploymentStatus.Active && date <= DateOnly.FromDateTime(now.UtcDateTime))
            {
                read = EmploymentStatus.Retired;
            }
        }
        return read;
    }
}
