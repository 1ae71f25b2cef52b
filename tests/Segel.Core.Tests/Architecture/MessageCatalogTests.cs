using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Segel.Core.Errors;
using Segel.Testing;

namespace Segel.Core.Tests.Architecture;

/// <summary>
/// Every message Segel can refuse a request with has its Bahasa Indonesia text: the messages are written in
/// English where they are thrown (their composite format is the key), so the test reads the sources, finds
/// every message given to <see cref="SegelException"/> (and every report line given to
/// <see cref="ErrorTexts.Translate(FormattableString, CultureInfo)"/>), rebuilds the format the compiler makes
/// of it, and looks it up — as EU DSS's MessageTagTest does for its message keys. It also fails on a
/// translation whose English original no longer exists, so the catalogue does not rot.
/// </summary>
public sealed partial class MessageCatalogTests
{
    [Fact]
    public void Every_message_thrown_to_a_user_has_indonesian_text_and_every_translation_a_message()
    {
        Dictionary<string, string> formats = ThrownFormats(userFacing: true);
        Assert.True(formats.Count > 150, $"only {formats.Count} messages found; has the way they are thrown changed?");
        var translated = new HashSet<string>(ErrorTexts.TranslatedFormats, StringComparer.Ordinal);
        string[] missing = [.. formats.Where(f => !translated.Contains(f.Key)).Select(f => $"{f.Value}: {f.Key}").Order(StringComparer.Ordinal)];
        Assert.True(missing.Length == 0, $"{missing.Length} messages have no Bahasa Indonesia text in messages-id.json:\n" + string.Join("\n", missing));
        // Fragments (words passed as arguments, list items) are translated too, so an unused key is only
        // reported when it is a sentence with placeholders that matches no message.
        Dictionary<string, string> everywhere = ThrownFormats(userFacing: false);
        string[] orphans = [.. translated.Where(t => t.Contains('{', StringComparison.Ordinal) && !everywhere.ContainsKey(t)).Order(StringComparer.Ordinal)];
        Assert.True(orphans.Length == 0, $"{orphans.Length} translations match no message in the sources:\n" + string.Join("\n", orphans));
    }

    [Fact]
    public void Every_action_named_in_a_refusal_has_indonesian_text()
    {
        // "{0} may not {1}." takes the action as a word of its own, translated as a fragment.
        var translated = new HashSet<string>(ErrorTexts.TranslatedFormats, StringComparer.Ordinal);
        string[] missing = [.. Repository.Sources("Segel.Core").Concat(Repository.Sources("Segel.Server"))
            .SelectMany(f => Action().Matches(File.ReadAllText(f)).Select(m => m.Groups["action"].Value))
            .Distinct(StringComparer.Ordinal).Where(a => !translated.Contains(a)).Order(StringComparer.Ordinal)];
        Assert.True(missing.Length == 0, $"{missing.Length} actions have no Bahasa Indonesia text:\n" + string.Join("\n", missing));
    }

    [GeneratedRegex(@"\.Require(Agency|Scope)?\([^;]*?""(?<action>[a-z][^""]+)""\);")]
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

    [GeneratedRegex(@"(SegelException\.((Invalid|Prohibited)\(\s*[^,()]+,|NotFound\(|Conflict\(|Refused\(|Forbidden\()|new\s*(SegelException)?\s*\(\s*ErrorKind\.\w+,|problems\.Add\(|ErrorTexts\.Translate\(|FormattableString\s+\w+\s*=|FormattableString\?\s+\w+\s*=)")]
    private static partial Regex Opener();
}
