using System.Globalization;
using Segel.Server.Portal;

namespace Segel.Server.Bsre;

/// <summary>The national status words explained for the person at the other application's screen (texts in UiText, <c>NationalStatus.*</c>).</summary>
internal static class BsreText
{
    public static string Status(string status, CultureInfo language) =>
        UiText.Find("NationalStatus." + status, language) ?? status;
}
