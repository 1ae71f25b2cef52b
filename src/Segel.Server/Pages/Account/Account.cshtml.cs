using Segel.Server.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Segel.Core.Accounts;
using Segel.Core.Errors;
using Segel.Server.Portal;

namespace Segel.Server.Pages.Account;

/// <summary>
/// The signed-in person's own account: who they are to Segel and a password change. The change ends every session of
/// the account (the core does that), this one too, so the page sends them to sign in with the new password.
/// </summary>
public sealed class AccountModel(AccountCredentials credentials) : PortalPage
{
    [BindProperty]
    public string? CurrentPassword { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? NewPasswordAgain { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (NewPassword != NewPasswordAgain)
        {
            ForgetSecrets();
            ModelState.AddModelError(nameof(NewPasswordAgain), Text["PasswordsDiffer"]);
            return Page().WithStatus(StatusCodes.Status400BadRequest);
        }
        try
        {
            await credentials.ChangeOwnPasswordAsync(CurrentPassword, NewPassword, Caller, Origin, HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            return await RefusedAsync(e, () => Task.FromResult<IActionResult>(Page()));
        }
        await HttpContext.SignOutAsync(SegelSchemes.Portal);
        return Redirect("/masuk?changed=true");
    }

    protected override void ForgetSecrets() => CurrentPassword = NewPassword = NewPasswordAgain = null;
}
