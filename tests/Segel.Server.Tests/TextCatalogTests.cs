using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Segel.Core.Lifecycle;
using Segel.Server.Api;
using Segel.Server.Portal;
using Segel.Testing;

namespace Segel.Server.Tests;

/// <summary>
/// The texts the API, the national API and the audit trail look up by a key they build (<c>Problem.*</c>,
/// <c>NationalStatus.*</c>, <c>AuditAction.*</c>) exist in both languages, and no text in Bahasa Indonesia is written
/// inline. The catalogue's own completeness is held by Segel.Core.Tests' <c>TextCatalogTests</c>.
/// </summary>
public sealed class TextCatalogTests
{
    private static readonly CultureInfo[] Languages = [Problems.Indonesian, Problems.English];
    private static readonly int[] Statuses = [400, 401, 403, 404, 409, 413, 422, 429, 503];

    [Fact]
    public void Every_national_status_and_problem_title_has_its_text()
    {
        string[] statuses = [.. typeof(NationalStatus).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!)];
        Assert.NotEmpty(statuses);
        foreach (CultureInfo language in Languages)
        {
            Assert.All(statuses, s => Assert.NotNull(UiText.Find("NationalStatus." + s, language)));
            Assert.All(Statuses, status => Assert.NotEmpty(Problems.Text(language, Problems.TitleKey(status))));
        }
        Assert.NotEqual(Problems.Text(Problems.Indonesian, "title:forbidden"), Problems.Text(Problems.English, "title:forbidden"));
    }

    [Fact]
    public void Every_audit_action_recorded_has_a_name_in_both_languages()
    {
        // The actions written where they are recorded (AuditLog.Record(..., "enrollment.approved", ...)) and the few kept in constants.
        var recorded = new Regex(@"AuditLog\.Record(?:Async)?\((?<call>[^;]*)", RegexOptions.Singleline);
        var code = new Regex(@"""(?<code>[a-z][a-z0-9-]*\.[a-z0-9.-]+)""");
        var constant = new Regex(@"const string \w*Action = ""(?<code>[a-z][a-z0-9-]*\.[a-z0-9.-]+)""");
        string[] actions = [.. Repository.Sources("Segel.Core").Concat(Repository.Sources("Segel.Server"))
            .Select(File.ReadAllText)
            .SelectMany(text => recorded.Matches(text).SelectMany(m => code.Matches(m.Groups["call"].Value)).Concat(constant.Matches(text)))
            .Select(m => m.Groups["code"].Value)
            .Where(c => !c.EndsWith(".json", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        Assert.True(actions.Length > 50, $"only {actions.Length} actions found; has the way they are recorded changed?");
        string[] unnamed = [.. Languages.SelectMany(l => actions.Where(a => UiText.Find("AuditAction." + a, l) is null).Select(a => $"{l.Name}: {a}"))];
        Assert.True(unnamed.Length == 0, "audit actions without a name (UiText AuditAction.*):\n" + string.Join("\n", unnamed));
    }

    /// <summary>Words a sentence in Bahasa Indonesia can hardly do without; a string literal holding one is a text outside the resource sets.</summary>
    private static readonly System.Text.RegularExpressions.Regex IndonesianSentence = new(
        @"""[^""\n]*\b(yang|tidak|dengan|sudah|belum|untuk|dapat|berkas|tanda tangan|sertifikat|pengguna|silakan|mohon)\b[^""\n]*""",
        System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    private static readonly string[] Adapters = ["Segel.Server", "Segel.Core", "Segel.Cli", "Segel.Pdf", "Segel.Pdf.Commands"];

    /// <summary>Ends a line whose Indonesian words are values a file may hold (a CSV cell's "ya"/"tidak"), not texts shown to anyone.</summary>
    private const string ValueMark = "// values in a file, not texts";

    [Fact]
    public void No_text_in_bahasa_indonesia_is_written_inline_in_a_shipped_project()
    {
        // Paths (/admin/pengguna), file names (sertifikat-segel.p12) and the demonstration's sample data are not texts
        // a reader is shown in their language; everything else in Bahasa Indonesia belongs in a resource set.
        string src = Path.Combine(Repository.Root, "src");
        string[] inline = [.. Adapters
            .SelectMany(p => Directory.EnumerateFiles(Path.Combine(src, p), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}Demo{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(src, f), Line: i + 1, Text: line)))
            .Where(l => !l.Text.TrimStart().StartsWith("//", StringComparison.Ordinal) && !l.Text.EndsWith(ValueMark, StringComparison.Ordinal))
            .SelectMany(l => IndonesianSentence.Matches(l.Text).Select(m => (l.File, l.Line, Literal: m.Value)))
            .Where(m => !m.Literal.StartsWith("\"/", StringComparison.Ordinal) && !m.Literal.Contains(".p12", StringComparison.Ordinal))
            .Select(m => $"{m.File}:{m.Line}: {m.Literal}")];
        Assert.True(inline.Length == 0, "texts written inline (move them to a resource set, keyed):\n" + string.Join("\n", inline));
    }

    /// <summary>
    /// A page writes every word through the localizer (<c>@T["…"]</c>): a text node or a label attribute with three
    /// words in a row, in any language, is a sentence written inline. Code, settings names and sample file lines in
    /// <c>&lt;code&gt;</c> are not texts; Razor code between tags is told apart by its braces, brackets and operators.
    /// </summary>
    [Fact]
    public void No_sentence_is_written_inline_in_a_page()
    {
        var comment = new Regex(@"@\*.*?\*@", RegexOptions.Singleline);
        var literal = new Regex(@"<(code|kbd|script|style|pre)\b[^>]*>.*?</\1>", RegexOptions.Singleline);
        var textNode = new Regex(@">(?<text>[^<>@]*)<");
        var label = new Regex(@"\b(?:placeholder|title|alt|aria-label)=""(?<text>[^""@]*)""");
        var sentence = new Regex(@"\b[A-Za-z][a-z]+ [a-z]+ [a-z]+\b");
        string[] inline = [.. Directory.EnumerateFiles(Path.Combine(Repository.Root, "src"), "*.cshtml", SearchOption.AllDirectories)
            .SelectMany(f =>
            {
                string page = literal.Replace(comment.Replace(File.ReadAllText(f), ""), "");
                return textNode.Matches(page).Concat(label.Matches(page))
                    .Select(m => m.Groups["text"].Value)
                    .Where(t => t.IndexOfAny(['{', '}', '(', '=']) < 0 && sentence.IsMatch(t))
                    .Select(t => $"{Path.GetRelativePath(Repository.Root, f)}: {t.Trim()}");
            })];
        Assert.True(inline.Length == 0, "sentences written inline in pages (use @T[\"Key\"]):\n" + string.Join("\n", inline));
    }
}
