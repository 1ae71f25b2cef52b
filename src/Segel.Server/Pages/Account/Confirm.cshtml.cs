using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Segel.Core.Errors;
using Segel.Core.Lifecycle;
using Segel.Server.Api;
using Segel.Server.Portal;

namespace Segel.Server.Pages.Account;

/// <summary>
/// The page the confirmation e-mail links to (Pasal 7, 14 f–g): the holder reads the subscriber agreement, chooses
/// the passphrase of the key Segel keeps, and accepts — with the code from the e-mail, no account. The code's
/// attempts are counted in the core; the page is rate-limited per address.
/// </summary>
[EnableRateLimiting(RateLimits.Anonymous)]
public sealed class ConfirmModel(SubscriberAgreements agreements, Enrollments enrollments, IStringLocalizer<UiText> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    [BindProperty]
    public int Version { get; set; }

    [BindProperty]
    public bool Accept { get; set; }

    [BindProperty]
    public string? Passphrase { get; set; }

    [BindProperty]
    public string? Repeat { get; set; }

    public SubscriberAgreement? Agreement { get; private set; }

    public bool Confirmed { get; private set; }

    public async Task OnGetAsync()
    {
        Agreement = await agreements.CurrentAsync(HttpContext.RequestAborted);
        Version = Agreement.Version;
        NoStore();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        NoStore();
        Agreement = await agreements.CurrentAsync(HttpContext.RequestAborted);
        if (!Accept)
        {
            ModelState.AddModelError(nameof(Accept), text["AcceptFirst"]);
        }
        if (Passphrase != Repeat)
        {
            ModelState.AddModelError(nameof(Repeat), text["PassphrasesDiffer"]);
        }
        int status = 400;
        if (ModelState.ErrorCount == 0)
        {
            try
            {
                await enrollments.ConfirmAsync(Id, new HolderConfirmation(Code, Version, string.IsNullOrEmpty(Passphrase) ? null : Passphrase),
                    HttpCaller.Origin(HttpContext), HttpContext.RequestAborted);
                Confirmed = true;
                return Page();
            }
            catch (SegelException e)
            {
                string field = e.Field switch
                {
                    "passphrase" => nameof(Passphrase),
                    "agreementVersion" => nameof(Version),
                    _ => nameof(Code),
                };
                ModelState.AddModelError(field, e.MessageIn(System.Globalization.CultureInfo.CurrentUICulture));
                status = ProblemMapping.StatusFor(e.Kind);
            }
        }
        Passphrase = Repeat = null;
        return Page().WithStatus(status);
    }

    private void NoStore() => Response.Headers.CacheControl = "no-store";
}
