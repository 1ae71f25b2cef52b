using System.CommandLine;
using Segel.Cli.Commands;
using Segel.Core.Errors;
using Segel.Pdf.Commands;

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
            BackupCommand.CreateBackup(),
            BackupCommand.CreateRestore(),
            MigrateCommand.Create(),
            AuditCommand.Create(),
            LogCommand.Create(),
            ReportCommand.Create(),
            EmployeesCommand.CreateEmployees(),
            OrganizationCommand.CreateAgencies(),
            OrganizationCommand.CreateSettings(),
            AccountsCommand.CreateUsers(),
            AccountsCommand.CreateTokens(),
            RecoveryCommand.Create(),
            PdfCommand.Create(),
            DocumentCommand.CreateSign(),
            DocumentCommand.CreateVerify(),
            EncryptCommand.CreateEncrypt(),
            EncryptCommand.CreateDecrypt(),
            SmimeCommand.Create(),
            TsaCommand.Create(),
            DemoCommand.Create(),
        };
        return await CommandRunner.RunAsync("segel", root, args, e => e switch
        {
            SegelException refused => (refused.Message, ExitCodes.For(refused.Kind)),
            System.Data.Common.DbException db => ($"the database did not answer as expected: {db.Message.Split('\n')[0]}", ExitCodes.For(ErrorKind.NotReady)),
            // EF Core's retrying strategy wraps the last failure when the database never answered.
            InvalidOperationException { InnerException: System.Data.Common.DbException db } =>
                ($"the database did not answer as expected: {db.Message.Split('\n')[0]}", ExitCodes.For(ErrorKind.NotReady)),
            _ => null,
        });
    }
}

/// <summary>Exit codes scripts can branch on.</summary>
internal static class ExitCodes
{
    public static int For(ErrorKind kind) => kind switch
    {
        ErrorKind.Invalid => 2,
        ErrorKind.NotFound => 4,
        ErrorKind.Conflict => 5,
        ErrorKind.Refused or ErrorKind.Prohibited => 6,
        ErrorKind.NotReady => 7,
        ErrorKind.Forbidden => 9,
        _ => 1,
    };
}
