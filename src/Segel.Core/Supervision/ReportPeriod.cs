using System.Globalization;
using System.Text.RegularExpressions;
using Segel.Core.Errors;
using Segel.Texts;

namespace Segel.Core.Supervision;

/// <summary>
/// The period a supervision report covers (Pasal 25: at least every six months, and yearly): a half-year
/// <c>2026-H1</c>, a year <c>2026</c>, or dates <c>2026-01-01..2026-03-31</c> (both days included). Periods run in the
/// regency's own time (WITA, UTC+8), so a year's report holds what happened from midnight of 1 January there.
/// <see cref="To"/> is exclusive.
/// </summary>
public sealed partial record ReportPeriod(string Name, DateTimeOffset From, DateTimeOffset To)
{
    public static readonly TimeSpan Wita = TimeSpan.FromHours(8);
    private const int FirstYear = 2000;
    private const int LastYear = 2200;
    private const int MaxYears = 5;

    public static ReportPeriod Parse(string? text)
    {
        string value = (text ?? "").Trim().ToUpperInvariant();
        if (Half().Match(value) is { Success: true } half)
        {
            int year = Year(half.Groups["year"].Value, value);
            int first = half.Groups["half"].Value == "1" ? 1 : 7;
            DateTimeOffset from = Midnight(year, first, 1);
            return new ReportPeriod($"{year}-H{half.Groups["half"].Value}", from, from.AddMonths(6));
        }
        if (WholeYear().IsMatch(value))
        {
            int year = Year(value, value);
            return new ReportPeriod(value, Midnight(year, 1, 1), Midnight(year + 1, 1, 1));
        }
        if (Range().Match(value) is { Success: true } range)
        {
            DateOnly start = Date(range.Groups["from"].Value, value);
            DateOnly end = Date(range.Groups["to"].Value, value);
            if (end < start)
            {
                throw SegelException.Invalid("period", Localized.Of("Error.PeriodEndsBeforeBegins", value));
            }
            if (end > start.AddYears(MaxYears))
            {
                // Bounds the month-by-month trend (a query pair per month) a caller can make Segel compute.
                throw SegelException.Invalid("period", Localized.Of("Error.ReportCoversMostYearsLonger", MaxYears, value));
            }
            return new ReportPeriod($"{start:yyyy-MM-dd}..{end:yyyy-MM-dd}", Midnight(start), Midnight(end.AddDays(1)));
        }
        throw SegelException.Invalid("period", Localized.Of("Error.PeriodHalfYear2026H1", value));
    }

    /// <summary>Whether <paramref name="at"/> falls in the period.</summary>
    public bool Holds(DateTimeOffset at) => at >= From && at < To;

    private static int Year(string digits, string value)
    {
        int year = int.Parse(digits, CultureInfo.InvariantCulture);
        return year is >= FirstYear and <= LastYear ? year : throw SegelException.Invalid("period", Localized.Of("Error.YearNotSegelReports", value, FirstYear, LastYear));
    }

    private static DateOnly Date(string text, string value) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly date) && date.Year is >= FirstYear and <= LastYear
            ? date
            : throw SegelException.Invalid("period", Localized.Of("Error.NotADate", text, value));

    private static DateTimeOffset Midnight(int year, int month, int day) => new(year, month, day, 0, 0, 0, Wita);

    private static DateTimeOffset Midnight(DateOnly date) => Midnight(date.Year, date.Month, date.Day);

    [GeneratedRegex(@"^(?<year>\d{4})-H(?<half>[12])$")]
    private static partial Regex Half();

    [GeneratedRegex(@"^\d{4}$")]
    private static partial Regex WholeYear();

    [GeneratedRegex(@"^(?<from>\d{4}-\d{2}-\d{2})\.\.(?<to>\d{4}-\d{2}-\d{2})$")]
    private static partial Regex Range();
}
