using Segel.Core.Accounts;
using Segel.Core.Configuration;
using Segel.Core.Organization;
using Segel.Server.Portal;

namespace Segel.Server.Pages.Admin;

/// <summary>
/// Agencies and work units (from the personnel office's import) and the settings in force. Settings are read from
/// segel.json and the environment so every node of a cluster has the same ones; this page shows them, it does not edit them.
/// </summary>
public sealed class SettingsModel : PortalPage
{
    protected override Role Allowed => Role.Admin | Role.PolicyAdmin | Role.Auditor;

    public IReadOnlyList<AgencyView> Agencies { get; private set; } = [];

    public SegelOptions Options => Ca.Options;

    public IReadOnlyList<string> Domains => SegelOptions.EffectiveEmailDomains(Ca.Options.EmailDomains);

    public async Task OnGetAsync() => Agencies = await Ca.Employees.AgenciesAsync(Caller, cancellationToken: HttpContext.RequestAborted);
}
