using Microsoft.AspNetCore.Mvc;
using Segel.Core.Accounts;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages.Admin;

/// <summary>The subscriber agreement's versions (Pasal 7), only ever added; the policy administrator publishes a new one.</summary>
[PortalAccess(Role.Admin | Role.PolicyAdmin | Role.Auditor)]
public sealed class AgreementsModel(SubscriberAgreements agreements) : PortalPage
{
    [BindProperty]
    public string? AgreementText { get; set; }

    public IReadOnlyList<SubscriberAgreement> Versions { get; private set; } = [];

    public bool MayPublish => Caller.Has(Role.Admin | Role.PolicyAdmin);

    public async Task OnGetAsync()
    {
        Versions = await agreements.ListAsync(HttpContext.RequestAborted);
        AgreementText = Versions[0].Text;
    }

    public async Task<IActionResult> OnPostAsync()
    {
        try
        {
            await agreements.PublishAsync(AgreementText ?? "", Caller, HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            Versions = await agreements.ListAsync(HttpContext.RequestAborted);
            return Failed(e, nameof(AgreementText));
        }
        return Redirect("/admin/perjanjian");
    }
}
