using System.CommandLine;
using Segel.Cli.Commands;
using Segel.Core.Errors;

namespace Segel.Cli;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("Segel: the electronic-certificate platform of a regional government — CA, OCSP and CRLs, time-stamps, registration, audit record, employees, accounts and API tokens, PDF signatures, document encryption, S/MIME mail.")
        {
            InitCommand.Create(),
            ServeCommand.Create(),
            CaCommand.Create(),
            CertCommand.Create(),
            CrlCommand.Create(),
            AuditCommand.Create(),
            EmployeesCommand.CreateEmployees(),
            OrganizationCommand.CreateAgencies(),
            OrganizationCommand.CreateSettings(),
            AccountsCommand.CreateUsers(),
            AccountsCommand.CreateTokens(),
            PdfCommand.Create(),
            EncryptCommand.CreateEncrypt(),
            EncryptCommand.CreateDecrypt(),
            SmimeCommand.Create(),
            TsaCommand.Create(),
            DemoCommand.Create(),
        };
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One plain line, not a page of help: scripts and people both read the first line. A token the
            // parser did not recognise says more than "required command was not provided".
            System.CommandLine.Parsing.ParseError error = parsed.Errors.FirstOrDefault(e => parsed.UnmatchedTokens.Any(t => e.Message.Contains(t, StringComparison.Ordinal))) ?? parsed.Errors[0];
            string help = parsed.CommandResult.Command == root ? "segel --help" : $"segel {parsed.CommandResult.Command.Name} --help";
            await Console.Error.WriteLineAsync($"segel: {error.Message} (see `{help}`)");
            return ExitCodes.Usage;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (SegelException e)
        {
            await Console.Error.WriteLineAsync($"segel: {e.Message}");
            return ExitCodes.For(e.Kind);
        }
        catch (System.Data.Common.DbException e)
        {
            await Console.Error.WriteLineAsync($"segel: the database did not answer as expected: {e.Message.Split('\n')[0]}");
            return ExitCodes.For(ErrorKind.NotReady);
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"segel: {e.Message}");
            return ExitCodes.Io;
        }
        catch (UnauthorizedAccessException e)
        {
            await Console.Error.WriteLineAsync($"segel: {e.Message}");
            return ExitCodes.Io;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Interrupted;
        }
    }
}

/// <summary>Exit codes scripts can branch on.</summary>
internal static class ExitCodes
{
    public const int Usage = 2;
    public const int Io = 3;
    public const int Interrupted = 130;

    public static int For(ErrorKind kind) => kind switch
    {
        ErrorKind.Invalid => 2,
        ErrorKind.NotFound => 4,
        ErrorKind.Conflict => 5,
        ErrorKind.Refused => 6,
        ErrorKind.NotReady => 7,
        ErrorKind.Forbidden => 9,
        _ => 1,
    };
}
