using System.CommandLine;
using System.CommandLine.Parsing;

namespace Segel.Pdf.Commands;

/// <summary>
/// Runs a command line the way every Segel program does: a mistake is one plain line on standard error and a
/// non-zero exit code scripts can branch on, never a stack trace or a page of help.
/// </summary>
public static class CommandRunner
{
    public const int Io = 3;
    public const int Interrupted = 130;

    /// <param name="program">The program's name, first on each error line.</param>
    /// <param name="failure">The host's own refusals: the line to print and the exit code, or null for an exception it does not know.</param>
    public static async Task<int> RunAsync(string program, RootCommand root, string[] args, Func<Exception, (string Message, int ExitCode)?>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // The first line is what scripts and people read. A token the parser did not recognise says more than
            // "required command was not provided".
            ParseError error = parsed.Errors.FirstOrDefault(e => parsed.UnmatchedTokens.Any(t => e.Message.Contains(t, StringComparison.Ordinal))) ?? parsed.Errors[0];
            await Console.Error.WriteLineAsync($"{program}: {error.Message} (see `{CommandPath(program, parsed.CommandResult)} --help`)");
            return CommandException.InvalidInput;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (OperationCanceledException)
        {
            return Interrupted;
        }
#pragma warning disable CA1031 // the one place every refusal becomes a line and an exit code; anything unknown is rethrown
        catch (Exception e)
#pragma warning restore CA1031
        {
            (string Message, int ExitCode)? known = e switch
            {
                CommandException c => (c.Message, c.ExitCode),
                IOException or UnauthorizedAccessException => (e.Message, Io),
                _ => failure?.Invoke(e),
            };
            if (known is not { } line)
            {
                throw;
            }
            // Several mistakes at once (a configuration's) are one line each, every line naming the program.
            foreach (string part in line.Message.Split('\n'))
            {
                await Console.Error.WriteLineAsync($"{program}: {part}");
            }
            return line.ExitCode;
        }
    }

    private static string CommandPath(string program, CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? s = result; s is CommandResult command; s = command.Parent)
        {
            names.Add(command.Parent is null ? program : command.Command.Name);
        }
        names.Reverse();
        return string.Join(' ', names);
    }
}
