using System.Collections;
using System.Globalization;

namespace Segel.Texts;

/// <summary>
/// A text to be shown later in its reader's language: a key of the <see cref="Catalog"/> and the values for its
/// placeholders. Values that are texts themselves (a <see cref="Localized"/>, or a list of them) are shown in the
/// same language; a string value that is a code with a word of its own (<c>Word.approved</c>, <c>Word.id-card</c>)
/// is shown as that word.
/// </summary>
public sealed class Localized
{
    private Localized(string key, object?[] arguments)
    {
        Key = key;
        Arguments = arguments;
    }

    public string Key { get; }

    public IReadOnlyList<object?> Arguments { get; }

    public static Localized Of(string key, params object?[] arguments)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return new(key, arguments ?? []);
    }

    /// <summary>The text in <paramref name="language"/> (no language: Bahasa Indonesia).</summary>
    public string In(CultureInfo? language)
    {
        object?[] values = [.. Arguments.Select(a => Value(a, language))];
        return Catalog.Format(Key, language, values);
    }

    /// <summary>In English, for logs and exception messages.</summary>
    public override string ToString() => In(CultureInfo.InvariantCulture);

    private static object? Value(object? argument, CultureInfo? language) => argument switch
    {
        Localized text => text.In(language),
        IEnumerable<Localized> texts => string.Join("; ", texts.Select(t => t.In(language))),
        string code => Catalog.Find(WordPrefix + code, language) ?? code,
        _ => argument,
    };

    /// <summary>Where codes passed as values find their words: <c>Word.</c> + the code.</summary>
    public const string WordPrefix = "Word.";

    /// <summary>A code's word in <paramref name="language"/> (<c>employee</c> → "pegawai"); the code itself when it has none.</summary>
    public static string Word(string code, CultureInfo? language) => Catalog.Find(WordPrefix + code, language) ?? code;
}
