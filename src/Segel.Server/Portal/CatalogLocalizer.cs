using System.Globalization;
using Microsoft.Extensions.Localization;
using Segel.Texts;

namespace Segel.Server.Portal;

/// <summary>
/// The portal's <see cref="IStringLocalizer"/> over the one resource set per language (<see cref="Catalog"/>), in the
/// request's UI culture, so Razor pages and the API read the same keyed texts as the core and segel-pdf.
/// </summary>
public sealed class CatalogLocalizer : IStringLocalizer
{
    public LocalizedString this[string name] => Lookup(name, []);

    public LocalizedString this[string name, params object[] arguments] => Lookup(name, arguments);

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        Catalog.Texts(CultureInfo.CurrentUICulture).Select(e => new LocalizedString(e.Key, e.Value));

    private static LocalizedString Lookup(string name, object[] arguments)
    {
        ArgumentNullException.ThrowIfNull(name);
        CultureInfo language = CultureInfo.CurrentUICulture;
        string? text = Catalog.Find(name, language);
        return text is null
            ? new LocalizedString(name, name, resourceNotFound: true)
            : new LocalizedString(name, arguments.Length == 0 ? text : string.Format(language, text, arguments));
    }
}

/// <summary>Every localizer the portal asks for is the catalogue's: there is one resource set, not one per type.</summary>
public sealed class CatalogLocalizerFactory : IStringLocalizerFactory
{
    private static readonly CatalogLocalizer Localizer = new();

    public IStringLocalizer Create(Type resourceSource) => Localizer;

    public IStringLocalizer Create(string baseName, string location) => Localizer;
}
