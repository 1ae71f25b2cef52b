using System.Globalization;
using System.Text.Json;
using Segel.Texts;

namespace Segel.Server.Portal;

/// <summary>
/// The audit record as a reader sees it: each action's name (<c>AuditAction.*</c>) and each detail's label
/// (<c>AuditField.*</c>) in their language, the details as label–value pairs rather than JSON, and the actions whose
/// names contain the words someone searches for — so "disetujui" or "approved" finds <c>enrollment.approved</c>.
/// </summary>
public static class AuditWords
{
    private const string ActionPrefix = "AuditAction.";

    public static string Action(string code, CultureInfo culture) => UiText.Find(ActionPrefix + code, culture) ?? code;

    /// <summary>The details' fields in order, each labelled in the reader's language (the key itself when it has no label).</summary>
    public static IReadOnlyList<(string Label, string Value)> Details(string? json, CultureInfo culture)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return [("", Value(document.RootElement, culture))];
            }
            return [.. document.RootElement.EnumerateObject()
                .Where(p => p.Value.ValueKind != JsonValueKind.Null)
                .Select(p => (UiText.Find("AuditField." + p.Name, culture) ?? p.Name, Value(p.Value, culture)))];
        }
        catch (JsonException)
        {
            return [("", json)];
        }
    }

    /// <summary>The action codes whose name, in the reader's language or in English, or whose code contains <paramref name="words"/>.</summary>
    public static IReadOnlyCollection<string> Matching(string? words, CultureInfo culture)
    {
        string wanted = (words ?? "").Trim();
        if (wanted.Length == 0)
        {
            return [];
        }
        CompareInfo compare = CultureInfo.InvariantCulture.CompareInfo;
        var found = new HashSet<string>(StringComparer.Ordinal);
        // Both languages, whichever the reader uses: a name in either finds the action.
        foreach (string language in new[] { "id", "en" })
        {
            foreach ((string key, string name) in Catalog.Texts(CultureInfo.GetCultureInfo(language)))
            {
                if (key.StartsWith(ActionPrefix, StringComparison.Ordinal)
                    && (compare.IndexOf(name, wanted, CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace) >= 0
                        || key.Contains(wanted, StringComparison.OrdinalIgnoreCase)))
                {
                    found.Add(key[ActionPrefix.Length..]);
                }
            }
        }
        return found;
    }

    private static string Value(JsonElement value, CultureInfo culture) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.True => UiText.Get("Yes", culture),
        JsonValueKind.False => UiText.Get("No", culture),
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(v => Value(v, culture))),
        JsonValueKind.Object => string.Join("; ", value.EnumerateObject().Select(p => $"{UiText.Find("AuditField." + p.Name, culture) ?? p.Name}: {Value(p.Value, culture)}")),
        _ => value.GetRawText(),
    };
}
