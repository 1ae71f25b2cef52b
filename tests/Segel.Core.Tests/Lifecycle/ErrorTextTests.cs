using System.Globalization;
using System.Text.RegularExpressions;
using Segel.Core.Errors;

namespace Segel.Core.Tests.Lifecycle;

public sealed class ErrorTextTests
{
    private static readonly CultureInfo Indonesian = CultureInfo.GetCultureInfo("id-ID");

    [Fact]
    public void Messages_are_shown_in_indonesian_with_their_arguments_and_list_items_translated()
    {
        SegelException e = SegelException.Refused($"Application {12} is not complete: {"document id-card is missing; the holder has not yet confirmed the e-mail address"}.");
        Assert.Equal("Application 12 is not complete: document id-card is missing; the holder has not yet confirmed the e-mail address.", e.Message);
        Assert.Equal("Permohonan 12 belum lengkap: dokumen pindaian KTP (id-card) belum ada; pemilik belum mengonfirmasi alamat surel.", e.MessageIn(Indonesian));
        Assert.Equal(e.Message, e.MessageIn(CultureInfo.GetCultureInfo("en")));
    }

    [Fact]
    public void Every_translation_keeps_the_placeholders_of_its_english_original()
    {
        foreach (string format in ErrorTexts.TranslatedFormats)
        {
            object[] markers = Enumerable.Range(0, 10).Select(i => (object)$"<{i}>").ToArray();
            var e = new SegelException(ErrorKind.Invalid, System.Runtime.CompilerServices.FormattableStringFactory.Create(format, markers));
            string translated = Regex.Replace(e.MessageIn(Indonesian), "<([0-9])>", "{$1}");
            Assert.True(ErrorTexts.TranslatedFormats.Count > 100 && Placeholders(format).SequenceEqual(Placeholders(translated)), $"'{format}' → '{translated}'");
        }
    }

    private static string[] Placeholders(string text) =>
        Regex.Matches(text, @"\{([0-9])(?::[^}]*)?\}").Select(m => m.Groups[1].Value).Order().ToArray();
}
