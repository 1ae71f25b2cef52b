using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace Segel.Texts;

/// <summary>
/// The one resource set per language: every text a person reads — the portal's words, the API's problems, the
/// national API's status texts, notices, supervision reports, verification reports and refusals — under a stable
/// key (<c>Error.*</c>, <c>Mail.*</c>, <c>Finding.*</c>…), in <c>id.json</c> and <c>en.json</c>.
/// </summary>
public static class Catalog
{
    private static readonly Lazy<FrozenDictionary<string, string>> IndonesianTexts = new(() => Load("Segel.Texts.id.json"));
    private static readonly Lazy<FrozenDictionary<string, string>> EnglishTexts = new(() => Load("Segel.Texts.en.json"));

    /// <summary>
    /// Whether <paramref name="language"/> is Bahasa Indonesia (no language means the default, Bahasa Indonesia).
    /// By the name, not TwoLetterISOLanguageName: segel-pdf runs without ICU, where every culture says "iv".
    /// </summary>
    public static bool IsIndonesian(CultureInfo? language) => (language is null ? "id" : language.Name.Split('-')[0]) is "id" or "in";

    /// <summary>The keys and texts of one language (for the completeness tests and the portal's localizer).</summary>
    public static IReadOnlyDictionary<string, string> Texts(CultureInfo? language) => Set(language);

    /// <summary>The text under <paramref name="key"/>, or null when there is none.</summary>
    public static string? Find(string key, CultureInfo? language) => Set(language).GetValueOrDefault(key);

    /// <summary>The text under <paramref name="key"/>; the key itself when it has none, so a gap shows rather than hides.</summary>
    public static string Get(string key, CultureInfo? language) => Find(key, language) ?? key;

    /// <summary>The text under <paramref name="key"/> with its placeholders filled, numbers and dates in the reader's way.</summary>
    public static string Format(string key, CultureInfo? language, params object?[] arguments) =>
        arguments.Length == 0 ? Get(key, language) : string.Format(language ?? CultureInfo.InvariantCulture, Get(key, language), arguments);

    private static FrozenDictionary<string, string> Set(CultureInfo? language) => IsIndonesian(language) ? IndonesianTexts.Value : EnglishTexts.Value;

    // JsonDocument rather than a serializer: no reflection, so the NativeAOT tool reads the same file.
    private static FrozenDictionary<string, string> Load(string name)
    {
        using Stream stream = typeof(Catalog).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The texts {name} are missing from the assembly.");
        using JsonDocument document = JsonDocument.Parse(stream);
        return document.RootElement.EnumerateObject().ToFrozenDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
    }
}
