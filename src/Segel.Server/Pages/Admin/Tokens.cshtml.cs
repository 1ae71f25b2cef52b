using Microsoft.AspNetCore.Mvc;
using Segel.Core.Accounts;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Seals;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages.Admin;

/// <summary>
/// The applications connected to Segel and their API tokens, for administrators who do not work on the server's command
/// line: issue one (scopes, a lifetime, or for <c>seal:sign</c> an approved seal and its networks), shown once and never
/// stored; revoke one at once. The same core calls as <c>segel tokens issue</c> and <c>revoke</c>.
/// </summary>
[PortalAccess(Role.Admin)]
public sealed class TokensModel(ApiTokens tokens, InstitutionalSeals seals) : PortalPage
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public List<string> ScopeNames { get; set; } = [];

    [BindProperty]
    public string? Days { get; set; }

    [BindProperty]
    public long? SealId { get; set; }

    [BindProperty]
    public string? Networks { get; set; }

    public IReadOnlyList<ApiTokenView> Tokens { get; private set; } = [];

    /// <summary>Seals a token may be bound to: approved, with a valid certificate.</summary>
    public IReadOnlyList<SealView> Seals { get; private set; } = [];

    /// <summary>The token just issued, shown in this one response only.</summary>
    public string? Issued { get; private set; }

    public ApiTokenView? IssuedRecord { get; private set; }

    public string? Done { get; private set; }

    public Task<IActionResult> OnGetAsync()
    {
        Done = TempData[DoneKey] as string;
        return ShowAsync();
    }

    public async Task<IActionResult> OnPostIssueAsync()
    {
        try
        {
            TimeSpan? lifetime = ApiTokens.LifetimeOf(Days);
            string[] networks = (Networks ?? "").Split([' ', ',', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
            SealBinding? binding = SealBinding.From(SealId, networks);
            (IssuedRecord, Issued) = await tokens.IssueAsync(Name ?? "", ScopeNames, lifetime, binding, Caller, HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            return await RefusedAsync(e, ShowAsync, e.Field switch
            {
                "scopes" => nameof(ScopeNames),
                "networks" => nameof(Networks),
                _ => null,
            });
        }
        // The token is in this page and nowhere else: no cache keeps it, and the form starts empty.
        Response.Headers.CacheControl = "no-store";
        Name = Days = Networks = null;
        SealId = null;
        ScopeNames = [];
        ModelState.Clear();
        return await ShowAsync();
    }

    public Task<IActionResult> OnPostRevokeAsync(long id) => ActAsync(async cancel =>
    {
        await tokens.RevokeAsync(id, Caller, cancel);
        return "DoneTokenRevoked";
    }, ShowAsync, "/admin/aplikasi");

    private async Task<IActionResult> ShowAsync()
    {
        Tokens = await tokens.ListAsync(Caller, HttpContext.RequestAborted);
        Seals = [.. (await seals.ListAsync(Caller, HttpContext.RequestAborted)).Where(s => s.State == "approved" && s.CertificateStatus == "valid")];
        return Page();
    }
}
