using System.Globalization;
using Segel.Texts;

namespace Segel.Core.Errors;

/// <summary>
/// A request Segel refuses for a reason the caller can act on. Adapters map <see cref="Kind"/> to an HTTP
/// status or a CLI exit code; the message is shown as it is, so it never holds secrets. A refusal a person reads
/// is a keyed <see cref="Localized"/> text, so an adapter shows it in the reader's language; the operator's
/// console refusals (start-up, the CLI's own options) are plain English.
/// </summary>
public class SegelException : Exception
{
    public SegelException(ErrorKind kind, Localized message, string? field = null) : base(English(message))
    {
        Kind = kind;
        Field = field;
        Text = message;
    }

    /// <summary>A refusal only the operator at a console reads (start-up, the CLI's options), in English.</summary>
    public SegelException(ErrorKind kind, FormattableString message, string? field = null) : base(English(message))
    {
        Kind = kind;
        Field = field;
        Text = Localized.Of(VerbatimKey, Message);
    }

    public SegelException(ErrorKind kind, Localized message, Exception inner) : base(English(message), inner)
    {
        Kind = kind;
        Text = message;
    }

    public SegelException(ErrorKind kind, string message, Exception inner) : base(message, inner)
    {
        Kind = kind;
        Text = Localized.Of(VerbatimKey, message);
    }

    public SegelException() : base() => Text = Localized.Of(VerbatimKey, Message);

    public SegelException(string message) : base(message) => Text = Localized.Of(VerbatimKey, message);

    public SegelException(string message, Exception inner) : base(message, inner) => Text = Localized.Of(VerbatimKey, message);

    /// <summary>A text shown as it was written, the same in every language (a console's English refusal).</summary>
    private const string VerbatimKey = "Error.Verbatim";

    public ErrorKind Kind { get; } = ErrorKind.Invalid;

    /// <summary>The input the problem is about, when there is one.</summary>
    public string? Field { get; }

    /// <summary>The message's key and values, to be shown later in a reader's language (a console's English refusal shows as written).</summary>
    public Localized Text { get; }

    /// <summary>A stable machine-readable reason where callers need one beyond <see cref="Kind"/> (e.g. <see cref="SigningErrors"/>).</summary>
    public string? Code { get; init; }

    /// <summary>The message in <paramref name="culture"/>'s language (a console's refusal stays English).</summary>
    public string MessageIn(CultureInfo culture) => Text.In(culture);

    public static SegelException Invalid(string field, Localized message) => new(ErrorKind.Invalid, message, field);

    public static SegelException NotFound(Localized message) => new(ErrorKind.NotFound, message);

    public static SegelException Conflict(Localized message) => new(ErrorKind.Conflict, message);

    public static SegelException Refused(Localized message) => new(ErrorKind.Refused, message);

    public static SegelException Forbidden(Localized message) => new(ErrorKind.Forbidden, message);

    public static SegelException Prohibited(string field, Localized message) => new(ErrorKind.Prohibited, message, field);

    private static string English(Localized message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.ToString();
    }

    private static string English(FormattableString message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.ToString(CultureInfo.InvariantCulture);
    }
}

/// <summary>Why a holder's key could not sign; the national API's adapter maps these to its numeric codes.</summary>
public static class SigningErrors
{
    /// <summary>No employee with that NIK or e-mail (national code 2011).</summary>
    public const string NotRegistered = "holder-not-registered";
    /// <summary>No valid certificate, or none whose key Segel keeps (national code 2021).</summary>
    public const string NoCertificate = "holder-no-certificate";
    /// <summary>Wrong passphrase or one-time code (national code 2031).</summary>
    public const string WrongPassphrase = "holder-wrong-passphrase";
    /// <summary>The key is locked after five wrong attempts (status SUSPEND).</summary>
    public const string Locked = "holder-key-locked";
}

public enum ErrorKind
{
    /// <summary>The input is malformed (HTTP 400).</summary>
    Invalid,
    /// <summary>What was named does not exist (HTTP 404).</summary>
    NotFound,
    /// <summary>The request contradicts the current state, e.g. revoking twice (HTTP 409).</summary>
    Conflict,
    /// <summary>Well-formed, but policy forbids it, e.g. validity past the CA's expiry (HTTP 422).</summary>
    Refused,
    /// <summary>Segel is not set up for this yet (HTTP 503).</summary>
    NotReady,
    /// <summary>The caller is known but may not do this (HTTP 403).</summary>
    Forbidden,
    /// <summary>
    /// The caller may do this kind of thing, but the regulation forbids it for this subject whoever asks, e.g. a
    /// certificate for someone not on the employee register (HTTP 403, exit code 6 like any refusal).
    /// </summary>
    Prohibited,
}
