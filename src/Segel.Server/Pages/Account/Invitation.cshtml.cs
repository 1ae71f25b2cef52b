using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Segel.Core.Accounts;
using Segel.Core.Errors;
using Segel.Server.Api;
using Segel.Server.Portal;

namespace Segel.Server.Pages.Account;

/// <summary>
/// Where the invitation e-mail leads a new holder (issue 19.8): they choose the password of the account Segel made for
/// them, and go on to sign in. No account is needed to open it — the link is the secret, single-use, checked in the core.
/// </summary>
[EnableRateLimiting(RateLimits.Anonymous)]
public sealed class InvitationModel(Invitations invitations, IStringLocalizer<UiText> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? Repeat { get; set; }

    public InvitationView? Invitation { get; private set; }

    /// <summary>Why the link opens nothing, in the reader's language; null when it is good.</summary>
    public string? Unusable { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        NoStore();
        return await LoadAsync() ? Page() : Page().WithStatus(404);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        NoStore();
        if (!await LoadAsync())
        {
            return Page().WithStatus(404);
        }
        if (Password != Repeat)
        {
            ModelState.AddModelError(nameof(Repeat), text["PasswordsDiffer"]);
        }
        else
        {
            try
            {
                string username = await invitations.AcceptAsync(Token, Password, HttpCaller.Origin(HttpContext), HttpContext.RequestAborted);
                return LocalRedirect($"/masuk?opened={Uri.EscapeDataString(username)}");
            }
            catch (SegelException e) when (e.Field == "password")
            {
                ModelState.AddModelError(nameof(Password), e.MessageIn(System.Globalization.CultureInfo.CurrentUICulture));
            }
            catch (SegelException e)
            {
                Unusable = e.MessageIn(System.Globalization.CultureInfo.CurrentUICulture);
                return Page().WithStatus(ProblemMapping.StatusFor(e.Kind));
            }
        }
        Password = Repeat = null;
        return Page().WithStatus(400);
    }

    private async Task<bool> LoadAsync()
    {
        try
        {
            Invitation = await invitations.OpenAsync(Token, HttpContext.RequestAborted);
            return true;
        }
        catch (SegelException e)
        {
            Unusable = e.MessageIn(System.Globalization.CultureInfo.CurrentUICulture);
            return false;
        }
    }

    private void NoStore() => Response.Headers.CacheControl = "no-store";
}
