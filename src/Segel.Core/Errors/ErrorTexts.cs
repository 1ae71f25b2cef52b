using System.Collections.Frozen;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Segel.Core.Errors;

/// <summary>
/// Translations of error messages, keyed by the English composite format (gettext style), so a message is
/// written once, in English, where it is thrown; <c>messages-id.json</c> gives its Bahasa Indonesia form.
/// A message without a translation is shown in English rather than not at all.
/// </summary>
public static class ErrorTexts
{
    private static readonly Lazy<FrozenDictionary<string, string>> Indonesian = new(() => Load("Segel.Core.Errors.messages-id.json"));

    public static bool IsIndonesian(CultureInfo culture) => culture?.TwoLetterISOLanguageName is "id" or "in";

    public static IReadOnlyCollection<string> TranslatedFormats => Indonesian.Value.Keys;

    public static string Translate(SegelException exception, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Format is null ? exception.Message : Translate(exception.Text, culture);
    }

    /// <summary>A message not thrown (a row's problem in an import report) in the reader's language when it has a translation.</summary>
    public static string Translate(FormattableString text, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IsIndonesian(culture) && Indonesian.Value.TryGetValue(text.Format, out string? translated))
        {
            return string.Format(culture, translated, [.. text.GetArguments().Select(a => a is string part ? Fragment(part) : a)]);
        }
        return text.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A fixed English text as a message without values (its braces are literal, not placeholders).</summary>
    public static FormattableString Plain(string text) =>
        FormattableStringFactory.Create((text ?? "").Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal));

    /// <summary>
    /// Arguments are sometimes English words themselves (a state, an action, a list of what is missing); those
    /// with a translation are translated, list items one by one.
    /// </summary>
    private static string Fragment(string text) =>
        string.Join("; ", text.Split("; ").Select(part => Indonesian.Value.TryGetValue(part, out string? translated) ? translated : part));

    private static FrozenDictionary<string, string> Load(string name)
    {
        using Stream? stream = typeof(ErrorTexts).Assembly.GetManifestResourceStream(name);
        if (stream is null)
        {
            return FrozenDictionary<string, string>.Empty;
        }
        return (JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? []).ToFrozenDictionary(StringComparer.Ordinal);
    }
}
