using Microsoft.AspNetCore.Mvc;
using Segel.Core.Accounts;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages.Admin;

/// <summary>
/// One account: its roles (and agency for an agency head), a new password for someone who forgot theirs, a new
/// authenticator after a lost phone, disable or enable. An authenticator secret made here is shown on this response only.
/// </summary>
[PortalAccess(Role.Admin | Role.Auditor)]
public sealed class UserModel(AccountCredentials credentials, UserAccounts users, Invitations invitations) : PortalPage
{
    [FromRoute]
    public string Username { get; set; } = "";

    [BindProperty]
    public List<string>? RoleNames { get; set; }

    [BindProperty]
    public string? Agency { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    public UserView? Account { get; private set; }

    public string? TotpUri { get; private set; }

    public string? Done { get; private set; }

    public bool MayChange => Caller.Has(Role.Admin) && Account is not null && Account.Username != Caller.Name;

    private string Back => $"/admin/pengguna/{Uri.EscapeDataString(Username.ToLowerInvariant())}";

    public Task<IActionResult> OnGetAsync()
    {
        Done = TempData[DoneKey] as string;
        return ShowAsync();
    }

    public async Task<IActionResult> OnPostRolesAsync()
    {
        Role roles = UsersModel.RolesFrom(RoleNames);
        try
        {
            TotpUri = await users.ChangeRolesAsync(Username, roles, string.IsNullOrWhiteSpace(Agency) ? null : Agency, Caller, Origin, HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            return await RefusedAsync(e, ShowAsync, e.Field == "roles" ? nameof(RoleNames) : e.Field == "agency" ? nameof(Agency) : "");
        }
        if (TotpUri is null)
        {
            TempData[DoneKey] = "DoneRolesChanged";
            return Redirect(Back);
        }
        // A new authenticator secret: shown now, never again — so no redirect.
        Done = "DoneRolesChanged";
        RoleNames = null;
        ModelState.Clear();
        return await ShowAsync();
    }

    public Task<IActionResult> OnPostPasswordAsync() => ActAsync(async cancel =>
    {
        await credentials.ResetPasswordAsync(Username, NewPassword, Caller, Origin, cancel);
        return "DonePasswordReset";
    }, ShowAsync, Back, e => e.Field == "password" ? nameof(NewPassword) : "");

    public async Task<IActionResult> OnPostAuthenticatorAsync()
    {
        try
        {
            TotpUri = await credentials.RenewSecondFactorAsync(Username, Caller, Origin, HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            return await RefusedAsync(e, ShowAsync, "");
        }
        Done = "DoneTotpRenewed";
        return await ShowAsync();
    }

    /// <summary>A new invitation link to the holder's official e-mail (the earlier one stops working).</summary>
    public Task<IActionResult> OnPostInviteAsync() => ActAsync(async cancel =>
    {
        UserView account = await users.GetAsync(Username, Caller, cancel);
        await invitations.SendAsync(account.EmployeeNip, Caller, Origin, cancel);
        return "DoneInvitationSent";
    }, ShowAsync, Back);

    /// <summary>Undoes the link to the identity provider account; the next sign-in there links again by NIP or e-mail.</summary>
    public Task<IActionResult> OnPostUnlinkAsync() => ActAsync(async cancel =>
    {
        await credentials.UnlinkProviderAsync(Username, Caller, Origin, cancel);
        return "DoneSignOnUnlinked";
    }, ShowAsync, Back);

    public Task<IActionResult> OnPostDisableAsync() => SetDisabledAsync(true);

    public Task<IActionResult> OnPostEnableAsync() => SetDisabledAsync(false);

    private Task<IActionResult> SetDisabledAsync(bool disabled) => ActAsync(async cancel =>
    {
        await users.SetDisabledAsync(Username, disabled, Caller, cancel);
        return disabled ? "DoneUserDisabled" : "DoneUserEnabled";
    }, ShowAsync, Back);

    protected override void ForgetSecrets() => NewPassword = null;

    private async Task<IActionResult> ShowAsync()
    {
        try
        {
            Account = await users.GetAsync(Username, Caller, HttpContext.RequestAborted);
        }
        catch (SegelException e) when (e.Kind is ErrorKind.NotFound)
        {
            return Failed(e);
        }
        RoleNames ??= UsersModel.RolesIn(Account.Roles).Select(r => r.ToString()).ToList();
        Agency ??= Account.Agency;
        return Page();
    }
}
