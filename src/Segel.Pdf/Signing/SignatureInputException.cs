using Segel.Texts;

namespace Segel.Pdf.Signing;

/// <summary>
/// A signing input a person chose and can correct (the signature's box, its image, a certification that is not the
/// first signature): an <see cref="ArgumentException"/> whose reason is a keyed text, so the portal and the API show
/// it in the reader's language.
/// </summary>
public sealed class SignatureInputException : ArgumentException
{
    public SignatureInputException(Localized text, string? paramName) : base(text?.ToString(), paramName) => Text = text!;

    public SignatureInputException() { Text = Localized.Of("Error.SignatureInputInvalid"); }

    public SignatureInputException(string message) : base(message) { Text = Localized.Of("Error.SignatureInputInvalid"); }

    public SignatureInputException(string message, Exception inner) : base(message, inner) { Text = Localized.Of("Error.SignatureInputInvalid"); }

    public Localized Text { get; }
}
