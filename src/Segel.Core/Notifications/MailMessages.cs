using System.Globalization;
using Segel.Texts;

namespace Segel.Core.Notifications;

/// <summary>A notice ready to send, in the recipient's language.</summary>
public sealed record MailMessage(string To, string Subject, string Body)
{
    /// <summary>
    /// The whole body already encrypted to the recipient (an S/MIME enveloped-data entity's DER, e.g. a document sent from
    /// the portal): sent as application/pkcs7-mime instead of <see cref="Body"/>, which then stays empty.
    /// </summary>
    public byte[]? EncryptedBody { get; init; }
}

/// <summary>
/// The texts of Segel's e-mail notices (<c>Mail.*</c> in the <see cref="Catalog"/>): Bahasa Indonesia by default,
/// English on request. Templates are composite format strings with numbered placeholders.
/// </summary>
public static class MailMessages
{
    public static readonly CultureInfo Indonesian = CultureInfo.GetCultureInfo("id-ID");
    private const string Prefix = "Mail.";

    public static MailMessage Compose(string template, string to, CultureInfo? culture, params object[] values)
    {
        CultureInfo language = culture ?? Indonesian;
        string subject = Catalog.Find(Prefix + template + ".Subject", language) ?? throw new ArgumentException($"No template {template}.", nameof(template));
        string body = Catalog.Get(Prefix + template + ".Body", language);
        return new MailMessage(to, string.Format(language, subject, values), string.Format(language, body, values));
    }

    /// <summary>A paragraph that goes into a notice's body (one of its placeholders), in the notice's language.</summary>
    public static string Text(string key, CultureInfo? culture, params object[] values)
    {
        CultureInfo language = culture ?? Indonesian;
        return string.Format(language, Catalog.Find(Prefix + key, language) ?? throw new ArgumentException($"No text {key}.", nameof(key)), values);
    }

    /// <summary>Dates as people in that language write them: "24 November 2026" / "24 Nopember 2026".</summary>
    public static string Date(DateTimeOffset date, CultureInfo? culture) => date.ToString("d MMMM yyyy", culture ?? Indonesian);
}
