namespace Segel.Pdf.Commands;

/// <summary>
/// A command refused for a reason the user can act on: the program prints the message as one plain line and
/// exits with <see cref="ExitCode"/> (2 bad input, 3 a file could not be read or written, 7 a service did not answer).
/// </summary>
public sealed class CommandException : Exception
{
    public const int InvalidInput = 2;
    public const int NotReady = 7;

    public CommandException(int exitCode, string message) : base(message) => ExitCode = exitCode;

    public CommandException() : this(1, "The command failed.") { }

    public CommandException(string message) : this(1, message) { }

    public CommandException(string message, Exception inner) : base(message, inner) => ExitCode = 1;

    public int ExitCode { get; }

    public static CommandException Invalid(string message) => new(InvalidInput, message);
}
