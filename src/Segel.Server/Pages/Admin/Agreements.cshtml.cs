using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Segel.Core.Accounts;
using Segel.Core.Errors;
using Segel.Core.Lifecycle;
using Segel.Core.Storage;
using Segel.Server.Portal;

namespace Segel.Server.Pages.Admin;

/// <summary>The subscriber agreement's versions (Pasal 7), only ever added; the policy administrator publishes a new one.</summary>
public sealed class AgreementsModel(SubscriberAgreements agreements) : PortalPage
{
    protected override Role Allowed => Role.Admin | Role.PolicyAdmin | Role.Auditor;

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
