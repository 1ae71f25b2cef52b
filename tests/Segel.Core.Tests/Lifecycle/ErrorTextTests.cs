using System.Globalization;
using Segel.Core.Errors;
using Segel.Texts;

namespace Segel.Core.Tests.Lifecycle;

public sealed class ErrorTextTests
{
    private static readonly CultureInfo Indonesian = CultureInfo.GetCultureInfo("id-ID");

    [Fact]
    public void Messages_are_shown_in_indonesian_with_their_arguments_and_list_items_translated()
    {
        List<Localized> missing = [Localized.Of("Error.DocumentMissing", "id-card"), Localized.Of("Error.HolderEmailUnconfirmed")];
        SegelException e = SegelException.Refused(Localized.Of("Error.ApplicationNotComplete", 12, missing));
        Assert.Equal("Application 12 is not complete: document id-card is missing; the holder has not yet confirmed the e-mail address.", e.Message);
        Assert.Equal("Permohonan 12 belum lengkap: dokumen pindaian KTP belum ada; pemilik belum mengonfirmasi alamat surel.", e.MessageIn(Indonesian));
        Assert.Equal(e.Message, e.MessageIn(CultureInfo.GetCultureInfo("en")));
    }

    [Fact]
    public void A_refusal_for_the_console_reads_the_same_in_every_language()
    {
        var e = new SegelException(ErrorKind.Invalid, $"--limit must be between 1 and {10000}.");
        Assert.Equal("--limit must be between 1 and 10000.", e.MessageIn(Indonesian));
        Assert.Equal(e.Message, e.MessageIn(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_key_without_a_text_shows_as_the_key_rather_than_nothing()
    {
        Assert.Equal("Error.NoSuchKeyAnywhere", Localized.Of("Error.NoSuchKeyAnywhere").In(Indonesian));
    }
}
