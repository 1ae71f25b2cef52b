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
    public static async Task<SignedDocument> SignAsync(ConsoleCore ca, string username, string password, string? totp, PdfSigningRequest request,
        CancellationToken cancellationToken)
    {
        Principal holder = await SignInAsync(ca, username, password, totp, cancellationToken);
        IReadOnlyList<SignedDocument> signed = await ca.Get<RemoteSigning>().SignAsync(request, holder, "cli", cancellationToken);
        return signed[0];
    }

    /// <summary>`segel sign --user`: files of any type as one ASiC-E container, by the same rule.</summary>
    public static async Task<SignedDocument> SignContainerAsync(ConsoleCore ca, string username, string password, string? totp, ContainerSigningRequest request,
        CancellationToken cancellationToken)
    {
        Principal holder = await SignInAsync(ca, username, password, totp, cancellationToken);
        return await ca.Get<RemoteSigning>().SignContainerAsync(request, holder, "cli", cancellationToken);
    }

    private static async Task<Principal> SignInAsync(ConsoleCore ca, string username, string password, string? totp, CancellationToken cancellationToken)
    {
        SignInResult signIn = await ca.Get<UserAccounts>().SignInAsync(username, password, totp, "cli", cancellationToken);
        Principal holder = signIn.Outcome switch
        {
            SignInOutcome.Success => signIn.Principal!,
            SignInOutcome.SecondFactorRequired => throw new SegelException(ErrorKind.Invalid, $"{username} signs in with a TOTP code too: add --totp CODE.", "--totp"),
            SignInOutcome.Locked => throw new SegelException(ErrorKind.Refused, $"The account {username} is locked after repeated wrong sign-ins; try again later."),
            _ => throw new SegelException(ErrorKind.Invalid, $"The user name or password is wrong.", "--user"),
        };
        return holder;
    }
}
