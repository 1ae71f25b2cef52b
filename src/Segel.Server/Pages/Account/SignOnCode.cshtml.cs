using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Segel.Core.Accounts;
using Segel.Server.Api;
using Segel.Server.Portal;
using Segel.Server.Security;
using SignInResult = Segel.Core.Accounts.SignInResult;

namespace Segel.Server.Pages.Account;

/// <summary>
/// After the identity provider, for RA officers and administrators whose provider asserted no second factor Segel
/// trusts: Segel's authenticator code, checked in the core with the same lockout as on the password page.
/// </summary>
[EnableRateLimiting(RateLimits.SignIn)]
public sealed class SignOnCodeModel(Sessions sessions, IStringLocalizer<UiText> text) : PageModel
{
    [BindProperty, StringLength(10)]
    public string? Code { get; set; }

    public IActionResult OnGet() =>
        PendingSignOn.Read(HttpContext) is null ? Redirect("/masuk?sso=expired") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (PendingSignOn.Read(HttpContext) is not var (identity, back))
        {
            return Redirect("/masuk?sso=expired");
        }
        if (!ModelState.IsValid || string.IsNullOrWhiteSpace(Code))
        {
            ModelState.Clear();
            ModelState.AddModelError(nameof(Code), text["TotpCodeNeeded"]);
            return Page().WithStatus(400);
        }
        (SignInResult result, StartedSession? session) = await sessions.StartAsync(identity, Code.Trim(), HttpCaller.Origin(HttpContext), HttpContext.RequestAborted);
        switch (result.Outcome)
        {
            case SignInOutcome.Success when session is not null:
                PendingSignOn.Clear(HttpContext);
                PortalAuthenticationHandler.Start(HttpContext, session);
                return LocalRedirect(PortalLinks.IsLocal(back) ? back : "/beranda");
            case SignInOutcome.SecondFactorRequired:
                ModelState.AddModelError(nameof(Code), text["SignInCodeWrong"]);
                Code = "";
                return Page().WithStatus(400);
            default:
                PendingSignOn.Clear(HttpContext);
                return Redirect($"/masuk?sso={SignOnAuthentication.Word(result.Outcome)}");
        }
    }
}
