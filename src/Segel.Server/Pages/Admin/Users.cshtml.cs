using Microsoft.AspNetCore.Mvc;
using Segel.Core.Accounts;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages.Admin;

/// <summary>Accounts and their roles: list, create (the authenticator secret shown once), disable and enable.</summary>
[PortalAccess(Role.Admin | Role.Auditor)]
public sealed class UsersModel(UserAccounts users) : PortalPage
{
    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public List<string> RoleNames { get; set; } = [];

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? Agency { get; set; }

    [BindProperty]
    public string? EmployeeNip { get; set; }

    public IReadOnlyList<UserView> Users { get; private set; } = [];

    /// <summary>Whose authenticator <see cref="TotpUri"/> belongs to.</summary>
    public string? TotpFor { get; private set; }

    /// <summary>The new account's otpauth URI, shown on this response only.</summary>
    public string? TotpUri { get; private set; }

    public string? Done { get; private set; }

    public static IReadOnlyList<Role> AllRoles { get; } = [Role.Admin, Role.PolicyAdmin, Role.RaOfficer, Role.AgencyHead, Role.Subscriber, Role.Auditor];

    /// <summary>The roles in <paramref name="roles"/>, in the order the pages list them.</summary>
    public static IEnumerable<Role> RolesIn(Role roles) => AllRoles.Where(r => roles.HasFlag(r));

    /// <summary>The roles in words ("Administrator, Auditor"), each the UiText word <paramref name="word"/> gives for Role_NAME.</summary>
    public static string RoleWords(Role roles, Func<string, string> word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return string.Join(", ", RolesIn(roles).Select(r => word("Role_" + r)));
    }

    /// <summary>The word for an account's state (a key of UiText): disabled, locked until a time after <paramref name="now"/>, or active.</summary>
    public static string StateKey(UserView account, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account.Invited ? "AwaitingPassword" : account.Disabled ? "Disabled" : account.LockedUntil > now ? "Locked" : "Active";
    }

    /// <summary>The roles a form's checkboxes name (unknown names count as none; the core refuses an empty set).</summary>
    public static Role RolesFrom(IEnumerable<string>? names) =>
        (names ?? []).Select(n => Enum.TryParse(n, out Role r) ? r : Role.None).Aggregate(Role.None, (all, r) => all | r);

    public Task<IActionResult> OnGetAsync()
    {
        Done = TempData[DoneKey] as string;
        return ShowAsync();
    }

    public async Task<IActionResult> OnPostCreateAsync()
    {
        Role roles = RolesFrom(RoleNames);
        try
        {
            CreatedUser created = await users.CreateAsync(new NewUser(Username ?? "", DisplayName ?? "", roles, Password ?? "",
                string.IsNullOrWhiteSpace(Agency) ? null : Agency, string.IsNullOrWhiteSpace(EmployeeNip) ? null : EmployeeNip), Caller, HttpContext.RequestAborted);
            TotpUri = created.TotpUri;
            TotpFor = created.Username;
            Done = "DoneUserCreated";
            Username = DisplayName = Password = Agency = EmployeeNip = null;
            RoleNames = [];
            ModelState.Clear();
        }
        catch (SegelException e)
        {
            return await RefusedAsync(e, ShowAsync, e.Field == "roles" ? nameof(RoleNames) : null);
        }
        return await ShowAsync();
    }

    protected override void ForgetSecrets() => Password = null;

    public Task<IActionResult> OnPostDisableAsync(string user) => SetDisabledAsync(user, true);

    public Task<IActionResult> OnPostEnableAsync(string user) => SetDisabledAsync(user, false);

    private Task<IActionResult> SetDisabledAsync(string user, bool disabled) => ActAsync(async cancel =>
    {
        await users.SetDisabledAsync(user, disabled, Caller, cancel);
        return disabled ? "DoneUserDisabled" : "DoneUserEnabled";
    }, ShowAsync, "/admin/pengguna");

    private async Task<IActionResult> ShowAsync()
    {
        Users = await users.ListAsync(Caller, HttpContext.RequestAborted);
        return Page();
    }
}
