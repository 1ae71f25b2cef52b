using System.Globalization;
using System.Resources;

namespace Segel.Server.Portal;

/// <summary>
/// The server's words — the portal's, the API's problem details (<c>Problem.*</c>) and the national API's status texts
/// (<c>NationalStatus.*</c>): <c>UiText.resx</c> in Bahasa Indonesia (the default), <c>UiText.en.resx</c> in English.
/// </summary>
public sealed class UiText
{
    private static readonly ResourceManager Resources = new("Segel.Server.Portal.UiText", typeof(UiText).Assembly);

    /// <summary>One word in a language chosen by the caller, for pages written without Razor (which speak the language of their URL).</summary>
    public static string Get(string key, CultureInfo culture) => Resources.GetString(key, culture) ?? key;

    /// <summary>The text under <paramref name="key"/>, or null when there is none.</summary>
    public static string? Find(string key, CultureInfo culture) => Resources.GetString(key, culture);
}
