using System.Globalization;
using System.Runtime.CompilerServices;

namespace Segel.Core.Errors;

/// <summary>
/// A request Segel refuses for a reason the caller can act on. Adapters map <see cref="Kind"/> to an HTTP
/// status or a CLI exit code; the message is shown as it is, so it never holds secrets. The message keeps
/// its composite format and arguments, so an adapter can show it in the caller's language (<see cref="ErrorTexts"/>).
/// </summary>
public class SegelException : Exception
{
    public SegelException(ErrorKind kind, FormattableString message, string? field = null) : base(English(message))
    {
        Kind = kind;
        Field = field;
        Format = message.Format;
        Arguments = message.GetArguments();
    }

    public SegelException(ErrorKind kind, string message, Exception inner) : base(message, inner) => Kind = kind;

    public SegelException() : base() { }

    public SegelException(string message) : base(message) { }

    public SegelException(string message, Exception inner) : base(message, inner) { }

    public ErrorKind Kind { get; } = ErrorKind.Invalid;

    /// <summary>The input the problem is about, when there is one.</summary>
    public string? Field { get; }

    /// <summary>The English composite format of the message, the key for its translations.</summary>
    public string? Format { get; }

    public IReadOnlyList<object?> Arguments { get; } = [];

    /// <summary>A stable machine-readable reason where callers need one beyond <see cref="Kind"/> (e.g. <see cref="SigningErrors"/>).</summary>
    public string? Code { get; init; }

    /// <summary>The message with its format and values, to be shown later in a reader's language.</summary>
    public FormattableString Text => Format is null ? ErrorTexts.Plain(Message) : FormattableStringFactory.Create(Format, [.. Arguments]);

    /// <summary>The message in <paramref name="culture"/>'s language when a translation exists, else in English.</summary>
    public string MessageIn(CultureInfo culture) => ErrorTexts.Translate(this, culture);

    public static SegelException Invalid(string field, FormattableString message) => new(ErrorKind.Invalid, message, field);

    public static SegelException NotFound(FormattableString message) => new(ErrorKind.NotFound, message);

    public static SegelException Conflict(FormattableString message) => new(ErrorKind.Conflict, message);

    public static SegelException Refused(FormattableString message) => new(ErrorKind.Refused, message);

    public static SegelException Forbidden(FormattableString message) => new(ErrorKind.Forbidden, message);

    public static SegelException Prohibited(string field, FormattableString message) => new(ErrorKind.Prohibited, message, field);

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
