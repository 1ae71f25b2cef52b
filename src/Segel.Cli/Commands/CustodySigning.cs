using Segel.Core.Accounts;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Signing;

namespace Segel.Cli.Commands;

/// <summary>
/// `segel pdf sign --user`: the holder proves who they are with their account (password, and TOTP for officers),
/// then signs with the key Segel keeps, unlocked by their passphrase — the same rule as the API, so the operator at
/// the console cannot sign as anyone (Pasal 15(3)).
/// </summary>
internal static class CustodySigning
{
    public static async Task<SignedPdf> SignAsync(ConsoleCore ca, string username, string password, string? totp, PdfSigningRequest request,
        CancellationToken cancellationToken)
    {
        SignInResult signIn = await ca.Get<UserAccounts>().SignInAsync(username, password, totp, "cli", cancellationToken);
        Principal holder = signIn.Outcome switch
        {
            SignInOutcome.Success => signIn.Principal!,
            SignInOutcome.SecondFactorRequired => throw new SegelException(ErrorKind.Invalid, $"{username} signs in with a TOTP code too: add --totp CODE.", "--totp"),
            SignInOutcome.Locked => throw new SegelException(ErrorKind.Refused, $"The account {username} is locked after repeated wrong sign-ins; try again later."),
            _ => throw new SegelException(ErrorKind.Invalid, $"The user name or password is wrong.", "--user"),
        };
        IReadOnlyList<SignedPdf> signed = await ca.Get<RemoteSigning>().SignAsync(request, holder, "cli", cancellationToken);
        return signed[0];
    }
}
