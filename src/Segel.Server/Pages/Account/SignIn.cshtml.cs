using Segel.Server.Security;
using Microsoft.AspNetCore.Authentication;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Segel.Core.Accounts;
using Segel.Server.Api;
using Segel.Server.Portal;
using SignInResult = Segel.Core.Accounts.SignInResult;

namespace Segel.Server.Pages.Account;

/// <summary>Sign-in with the same rules as the API: password, plus a TOTP code for officers and administrators; lockout in the core.</summary>
[EnableRateLimiting(RateLimits.SignIn)]
public sealed class SignInModel(Sessions sessions, SignOnDisplay signOn, IStringLocalizer<UiText> text) : PageModel
{
    [BindProperty, Required(ErrorMessage = "Required"), StringLength(100)]
    public string Username { get; set; } = "";

    [BindProperty, Required(ErrorMessage = "Required"), StringLength(200), DataType(DataType.Password)]
    public string Password { get; set; } = "";

    [BindProperty, StringLength(10)]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Back { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Ended { get; set; }

    /// <summary>Arrived from a password change, which ended every session.</summary>
    [BindProperty(SupportsGet = true)]
    public bool Changed { get; set; }

    /// <summary>Arrived from an invitation just accepted: the account's username, to fill in.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Opened { get; set; }

    /// <summary>Back from the identity provider without a session: why (unknown, disabled, locked, cancelled, expired, failed).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Sso { get; set; }

    /// <summary>The identity provider's name for the button, when single sign-on is set up.</summary>
    public string? Provider => signOn.Enabled ? signOn.Name : null;

    /// <summary>Why the provider's sign-in gave no session, in the reader's language; null when there was none.</summary>
    public string? SignOnProblem => Sso switch
    {
        "unknown" => text["SignOnNotLinked"].Value,
        "disabled" => text["SignInDisabled"].Value,
        "locked" => text["SignOnLocked"].Value,
        "cancelled" => text["SignOnCancelled"].Value,
        "expired" => text["SignOnExpired"].Value,
        "failed" => text["SignOnFailed"].Value,
        _ => null,
    };

    /// <summary>The password was right and the role needs the authenticator's code: ask for it.</summary>
    public bool AskCode { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if ((await HttpContext.AuthenticateAsync(SegelSchemes.Portal)).Succeeded)
        {
            return LocalRedirect(Destination());
        }
        Username = Opened is { Length: <= 100 } name ? name : "";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            foreach (string field in new[] { nameof(Username), nameof(Password) }.Where(f => ModelState[f]?.Errors.Count > 0))
            {
                ModelState[field]!.Errors.Clear();
                ModelState.AddModelError(field, text["FieldRequired"]);
            }
            return Refused();
        }
        (SignInResult result, StartedSession? session) = await sessions.StartAsync(Username.Trim(), Password, Code?.Trim(), HttpCaller.Origin(HttpContext), HttpContext.RequestAborted);
        switch (result.Outcome)
        {
            case SignInOutcome.Success when session is not null:
                PortalAuthenticationHandler.Start(HttpContext, session);
                return LocalRedirect(Destination());
            case SignInOutcome.SecondFactorRequired:
                AskCode = true;
                if (!string.IsNullOrWhiteSpace(Code))
                {
                    ModelState.AddModelError(nameof(Code), text["SignInCodeWrong"]);
                }
                return Refused();
            case SignInOutcome.Locked:
                ModelState.AddModelError("", string.Format(Language(), text["SignInLocked"], result.LockedUntil?.ToLocalTime().ToString("HH:mm", Language())));
                return Refused();
            case SignInOutcome.Disabled:
                ModelState.AddModelError("", text["SignInDisabled"]);
                return Refused();
            default:
                ModelState.AddModelError("", text["SignInInvalid"]);
                return Refused();
        }
    }

    public async Task<IActionResult> OnPostSignOutAsync()
    {
        await HttpContext.SignOutAsync(SegelSchemes.Portal);
        return LocalRedirect("/");
    }

    private PageResult Refused()
    {
        Password = "";
        return Page().WithStatus(AskCode && string.IsNullOrWhiteSpace(Code) ? 200 : 400);
    }

    private string Destination() => PortalLinks.IsLocal(Back) ? Back! : "/beranda";

    private static System.Globalization.CultureInfo Language() => System.Globalization.CultureInfo.CurrentUICulture;
}
