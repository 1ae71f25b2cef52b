using System.Globalization;
using Segel.Texts;

namespace Segel.Server.Portal;

/// <summary>
/// The portal's words, by key, from the one resource set per language (<see cref="Catalog"/>). The type names the
/// portal's localizer (<c>IStringLocalizer&lt;UiText&gt;</c>), which <see cref="CatalogLocalizer"/> serves.
/// </summary>
public sealed class UiText
{
    /// <summary>One word in a language chosen by the caller, for code that does not go through the localizer.</summary>
    public static string Get(string key, CultureInfo culture) => Catalog.Get(key, culture);

    /// <summary>The text under <paramref name="key"/>, or null when there is none.</summary>
    public static string? Find(string key, CultureInfo culture) => Catalog.Find(key, culture);
}
