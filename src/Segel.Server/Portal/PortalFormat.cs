using System.Globalization;

namespace Segel.Server.Portal;

/// <summary>Dates, times and figures as the portal shows them: in WITA (the regency's time zone), in the reader's language.</summary>
public static class PortalFormat
{
    /// <summary>Waktu Indonesia Tengah, UTC+8, no daylight saving.</summary>
    public static readonly TimeSpan Wita = TimeSpan.FromHours(8);

    public static string Date(DateTimeOffset at) => at.ToOffset(Wita).ToString("d MMMM yyyy", CultureInfo.CurrentCulture);

    public static string DateTime(DateTimeOffset at) => at.ToOffset(Wita).ToString("d MMM yyyy HH:mm", CultureInfo.CurrentCulture) + " WITA";

    public static string Percent(int part, int whole) =>
        (whole == 0 ? 0 : (double)part / whole).ToString("P0", CultureInfo.CurrentCulture);

    public static string Size(long bytes) => bytes < 1024 * 1024
        ? (bytes / 1024.0).ToString("0.#", CultureInfo.CurrentCulture) + " KB"
        : (bytes / 1024.0 / 1024).ToString("0.#", CultureInfo.CurrentCulture) + " MB";
}
