using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Segel.Testing;
using Segel.Texts;

namespace Segel.Core.Tests.Architecture;

/// <summary>
/// The one resource set per language (<see cref="Catalog"/>: <c>src/Segel.Texts/id.json</c> and <c>en.json</c>) is
/// complete and is the only place texts are written, as EU DSS's MessageTagTest holds its message keys: both
/// languages have the same keys, none empty, with the same placeholders; every key the code names has its texts;
/// every refusal text is still thrown somewhere; and no refusal a person reads is written inline where it is thrown.
/// </summary>
public sealed partial class TextCatalogTests
{
    private static readonly CultureInfo Indonesian = CultureInfo.GetCultureInfo("id-ID");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    [Fact]
    public void Both_languages_have_the_same_keys_none_empty_with_the_same_placeholders()
    {
        IReadOnlyDictionary<string, string> id = Catalog.Texts(Indonesian), en = Catalog.Texts(English);
        Assert.True(id.Count > 1000, $"only {id.Count} texts; is id.json embedded?");
        var problems = new List<string>();
        problems.AddRange(id.Keys.Except(en.Keys).Select(k => $"en.json lacks {k}"));
        problems.AddRange(en.Keys.Except(id.Keys).Select(k => $"id.json lacks {k}"));
        problems.AddRange(id.Concat(en).Where(e => string.IsNullOrWhiteSpace(e.Value)).Select(e => $"{e.Key} is empty"));
        // A placeholder one language lacks leaves a hole in a sentence ("baik (good) untuk , jawaban…").
        problems.AddRange(id.Where(e => en.TryGetValue(e.Key, out string? other) && !Placeholders(e.Value).SetEquals(Placeholders(other)))
            .Select(e => $"{e.Key} has placeholders {string.Join(",", Placeholders(e.Value).Order())} in Bahasa Indonesia and {string.Join(",", Placeholders(en[e.Key]).Order())} in English"));
        // Every text must survive string.Format: a stray brace would throw where the text is shown.
        object[] values = [.. Enumerable.Range(0, 10).Select(i => (object)i)];
        foreach (KeyValuePair<string, string> e in id.Concat(en))
        {
            try
            {
                _ = string.Format(CultureInfo.InvariantCulture, e.Value, values);
            }
            catch (FormatException)
            {
                problems.Add($"{e.Key} is not a valid composite format: {e.Value}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_key_the_code_names_has_its_texts_and_every_refusal_text_is_still_used()
    {
        IReadOnlyDictionary<string, string> id = Catalog.Texts(Indonesian);
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] files = [.. Repository.Sources(), .. Directory.EnumerateFiles(Path.Combine(Repository.Root, "src"), "*.cshtml", SearchOption.AllDirectories)];
        foreach (string file in files)
        {
            string text = File.ReadAllText(file);
            foreach (Match m in KeyReference().Matches(text))
            {
                named.TryAdd(m.Groups["key"].Value, $"{Path.GetRelativePath(Repository.Root, file)}:{text.AsSpan(0, m.Index).Count('\n') + 1}");
            }
        }
        Assert.True(named.Count > 700, $"only {named.Count} keys named in the code; has the way texts are looked up changed?");
        string[] missing = [.. named.Where(n => !id.ContainsKey(n.Key)).Select(n => $"{n.Value}: {n.Key}").Order(StringComparer.Ordinal)];
        Assert.True(missing.Length == 0, $"{missing.Length} keys have no text in id.json/en.json:\n" + string.Join("\n", missing));
        string[] orphans = [.. id.Keys.Where(k => k.StartsWith("Error.", StringComparison.Ordinal) && !named.ContainsKey(k)).Order(StringComparer.Ordinal)];
        Assert.True(orphans.Length == 0, $"{orphans.Length} refusal texts are thrown nowhere:\n" + string.Join("\n", orphans));
    }

    [Fact]
    public void No_refusal_a_person_reads_is_written_inline()
    {
        // The core, the API and the portal refuse with a key (Localized.Of("Error.…", values)); only the operator's
        // console (the CLI, the server's start-up) may write an English sentence where it throws.
        Dictionary<string, string> inline = ThrownFormats(userFacing: true);
        Assert.True(inline.Count == 0, $"{inline.Count} refusals are written inline (give each a key in src/Segel.Texts):\n"
            + string.Join("\n", inline.Select(f => $"{f.Value}: {f.Key}").Order(StringComparer.Ordinal)));
        Assert.NotEmpty(ThrownFormats(userFacing: false)); // the scanner still finds the console's sentences
    }

    [Fact]
    public void Every_action_named_in_a_refusal_has_its_word()
    {
        // "{0} may not {1}." takes the action as a code of its own (approve-applications), shown as its Word.* text.
        string[] actions = [.. Repository.Sources("Segel.Core").Concat(Repository.Sources("Segel.Server"))
            .SelectMany(f => Action().Matches(File.ReadAllText(f)).Select(m => m.Groups["action"].Value))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        Assert.True(actions.Length > 60, $"only {actions.Length} actions found; has the way they are named changed?");
        string[] missing = [.. actions.Where(a => Catalog.Find(Localized.WordPrefix + a, Indonesian) is null || Catalog.Find(Localized.WordPrefix + a, English) is null)];
        Assert.True(missing.Length == 0, $"{missing.Length} actions have no Word.* text:\n" + string.Join("\n", missing));
        Assert.Equal("approve applications", Localized.Word("approve-applications", English));
    }

    private static HashSet<int> Placeholders(string text) =>
        [.. Regex.Matches(text, @"(?<!\{)\{(\d+)(?:[,:][^}]*)?\}").Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    // Keys written where they are used: Localized.Of("…"), Catalog.Get/Find/Format("…"), UiText.Get/Find("…"), the
    // portal's T["…"] and Text["…"], and any literal that starts with a section's prefix (a key kept in a constant,
    // chosen by a condition or passed on).
    [GeneratedRegex(@"(?:Localized\.Of\(|Catalog\.(?:Get|Find|Format)\(|UiText\.(?:Get|Find)\(|\b(?:T|Text|text)\[|\b[TF]\()\s*""(?<key>[A-Za-z][A-Za-z0-9_.:-]*[A-Za-z0-9])""(?!\s*\+)|""(?<key>(?:Error|Mail|PeriodReport|Finding|Change|DetailWord|Verdict|PdfReport|Problem|NationalStatus|NationalApi)\.[A-Za-z0-9.:-]*[A-Za-z0-9])""(?!\s*\+)")]
    private static partial Regex KeyReference();

    [GeneratedRegex(@"(?:\.Require(?:Agency|Scope|OwnAgency)?|RequireIntactAsync|IsIntactOrRaiseAsync|OtherAccountAsync|LoadEditableAsync)\([^;]*?""(?<action>[a-z][a-z0-9-]*)""\s*[,)]")]
    private static partial Regex Action();

    /// <summary>
    /// Composite format → where it is first written, for the code whose messages reach people in their own
    /// language (the core, the API and the portal). The CLI and the server's start-up (Hosting) speak English
    /// to the operator at a console.
    /// </summary>
    internal static Dictionary<string, string> ThrownFormats(bool userFacing)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        string hosting = Path.Combine("Segel.Server", "Hosting") + Path.DirectorySeparatorChar;
        IEnumerable<string> files = userFacing
            ? Repository.Sources("Segel.Core").Concat(Repository.Sources("Segel.Server").Where(f => !f.Contains(hosting, StringComparison.Ordinal)))
            : Repository.Sources();
        foreach (string file in files)
        {
            string text = File.ReadAllText(file);
            foreach (Match opener in Opener().Matches(text))
            {
                // Every interpolated string in the call's arguments (a ternary may choose between two), or up to
                // the end of the statement for an assignment.
                bool call = opener.Value.EndsWith('(') || opener.Value.EndsWith(',');
                int depth = 0;
                for (int at = opener.Index + opener.Length; at < text.Length; at++)
                {
                    char c = text[at];
                    if (c == '$' && at + 1 < text.Length && text[at + 1] == '"')
                    {
                        (string? format, int end) = Format(text, at + 2);
                        if (format is not null)
                        {
                            int line = text.AsSpan(0, at).Count('\n') + 1;
                            found.TryAdd(format, $"{Path.GetRelativePath(Repository.Root, file)}:{line}");
                        }
                        at = end;
                    }
                    else if (c is '"' or '\'')
                    {
                        at = SkipLiteral(text, at);
                    }
                    else if (c is '(' or '[' or '{')
                    {
                        depth++;
                    }
                    else if (c is ')' or ']' or '}')
                    {
                        if (--depth < 0)
                        {
                            break;
                        }
                    }
                    else if (c == ';' || (!call && c == ',' && depth == 0))
                    {
                        break;
                    }
                }
            }
        }
        return found;
    }

    /// <summary>
    /// The composite format of the regular interpolated string starting at <paramref name="start"/> (after
    /// <c>$"</c>): literal text with <c>{{</c>/<c>}}</c> kept, each hole numbered in order with its alignment
    /// and format kept, as the compiler does for a <see cref="FormattableString"/>.
    /// </summary>
    private static (string? Format, int End) Format(string text, int start)
    {
        var format = new StringBuilder();
        int hole = 0;
        for (int i = start; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '"')
            {
                return (format.ToString(), i);
            }
            if (c == '\\' && i + 1 < text.Length)
            {
                format.Append(text[i + 1] switch { 'n' => '\n', 't' => '\t', '"' => '"', '\\' => '\\', '\'' => '\'', var other => other });
                i++;
            }
            else if ((c == '{' || c == '}') && i + 1 < text.Length && text[i + 1] == c)
            {
                format.Append(c).Append(c);
                i++;
            }
            else if (c == '{')
            {
                int depth = 0;
                int j = i + 1;
                int? colon = null;
                int? comma = null;
                for (; j < text.Length; j++)
                {
                    char d = text[j];
                    if (d is '(' or '[' or '{')
                    {
                        depth++;
                    }
                    else if (d is ')' or ']')
                    {
                        depth--;
                    }
                    else if (d == '}' && depth-- == 0)
                    {
                        break;
                    }
                    else if (d == '"' || d == '\'')
                    {
                        j = SkipLiteral(text, j);
                    }
                    else if (d == ':' && depth == 0 && colon is null)
                    {
                        colon = j;
                    }
                    else if (d == ',' && depth == 0 && colon is null && comma is null)
                    {
                        comma = j;
                    }
                }
                format.Append('{').Append(hole++.ToString(CultureInfo.InvariantCulture));
                int tailStart = comma ?? colon ?? j;
                format.Append(text, tailStart, j - tailStart).Append('}');
                i = j;
            }
            else
            {
                format.Append(c);
            }
        }
        return (null, text.Length);
    }

    private static int SkipLiteral(string text, int at)
    {
        char quote = text[at];
        for (int i = at + 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == quote)
            {
                return i;
            }
        }
        return text.Length;
    }

    [GeneratedRegex(@"(SegelException\.((Invalid|Prohibited)\(\s*(nameof\([^)]*\)|[^,()]+),|NotFound\(|Conflict\(|Refused\(|Forbidden\()|new\s*(SegelException)?\s*\(\s*ErrorKind\.\w+,|problems\.Add\(|FormattableString\s+\w+\s*=|FormattableString\?\s+\w+\s*=)")]
    private static partial Regex Opener();
}
