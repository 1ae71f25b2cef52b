namespace Segel.Core.Errors;

/// <summary>
/// A request Segel refuses for a reason the caller can act on. Adapters map <see cref="Kind"/> to an HTTP
/// status or a CLI exit code; the message is shown as it is, so it never holds secrets.
/// </summary>
public class SegelException : Exception
{
    public SegelException(ErrorKind kind, string message, string? field = null) : base(message)
    {
        Kind = kind;
        Field = field;
    }

    public SegelException(ErrorKind kind, string message, Exception inner) : base(message, inner) => Kind = kind;

    public SegelException() : base() { }

    public SegelException(string message) : base(message) { }

    public SegelException(string message, Exception inner) : base(message, inner) { }

    public ErrorKind Kind { get; } = ErrorKind.Invalid;

    /// <summary>The input the problem is about, when there is one.</summary>
    public string? Field { get; }

    public static SegelException Invalid(string field, string message) => new(ErrorKind.Invalid, message, field);

    public static SegelException NotFound(string message) => new(ErrorKind.NotFound, message);

    public static SegelException Conflict(string message) => new(ErrorKind.Conflict, message);

    public static SegelException Refused(string message) => new(ErrorKind.Refused, message);

    public static SegelException Forbidden(string message) => new(ErrorKind.Forbidden, message);
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
}
