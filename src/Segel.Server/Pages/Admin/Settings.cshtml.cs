using Microsoft.AspNetCore.Mvc;
using Segel.Core.Configuration;
using Segel.Core.Kernel;
using Segel.Core.Settings;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages.Admin;

/// <summary>
/// The settings in force. E-mail domains and reminder days are changed here (stored in the database, so every node
/// applies them at once); the rest is read from segel.json and the environment, the same on every node, and only shown.
/// </summary>
[PortalAccess(Role.Admin | Role.PolicyAdmin | Role.Auditor)]
public sealed class SettingsModel(SegelOptions options, RegencySettingsStore regencySettings) : PortalPage
{
    [BindProperty]
    public string? EmailDomains { get; set; }

    [BindProperty]
    public string? ReminderDays { get; set; }

    [BindProperty]
    public string? NationalCaEmail { get; set; }

    public RegencySettings? Current { get; private set; }

    public SegelOptions Options => options;

    public string? Done { get; private set; }

    public bool MayChange => Caller.Has(Role.Admin | Role.PolicyAdmin);

    public Task<IActionResult> OnGetAsync()
    {
        Done = TempData[DoneKey] as string;
        return ShowAsync();
    }

    public Task<IActionResult> OnPostAsync() => ActAsync(async cancel =>
    {
        await regencySettings.UpdateAsync(RegencySettingsStore.Split(EmailDomains), RegencySettingsStore.Split(ReminderDays), Caller, Origin, cancel);
        return "DoneSettingsSaved";
    }, ShowAsync, "/admin/pengaturan");

    public Task<IActionResult> OnPostNationalCaAsync() => ActAsync(async cancel =>
    {
        await regencySettings.SetNationalCaEmailAsync(NationalCaEmail, Caller, Origin, cancel);
        return "DoneNationalCaEmailSaved";
    }, ShowAsync, "/admin/pengaturan");

    private async Task<IActionResult> ShowAsync()
    {
        Current = await regencySettings.GetAsync(HttpContext.RequestAborted);
        EmailDomains ??= string.Join(", ", Current.EmailDomains);
        ReminderDays ??= string.Join(", ", Current.ReminderDays);
        NationalCaEmail ??= Current.NationalCaEmail;
        return Page();
    }
}
