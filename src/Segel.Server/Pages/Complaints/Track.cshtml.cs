using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Segel.Core.Errors;
using Segel.Core.Supervision;
using Segel.Server.Api;
using Segel.Server.Portal;

namespace Segel.Server.Pages.Complaints;

/// <summary>The complainant follows their complaint with its number and tracking code (posted, never in the address).</summary>
[EnableRateLimiting(RateLimits.Anonymous)]
public sealed class TrackModel(Core.Supervision.Complaints complaints) : PageModel
{
    [BindProperty]
    public string? Number { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    public ComplaintView? Complaint { get; private set; }

    public void OnGet() => Response.Headers.CacheControl = "no-store";

    public async Task<IActionResult> OnPostAsync()
    {
        Response.Headers.CacheControl = "no-store";
        try
        {
            Complaint = await complaints.TrackAsync(Number ?? "", Code ?? "", HttpContext.RequestAborted);
            return Page();
        }
        catch (SegelException e)
        {
            ModelState.AddModelError(nameof(Code), e.MessageIn(CultureInfo.CurrentUICulture));
            Code = null;
            return Page().WithStatus(ProblemMapping.StatusFor(e.Kind));
        }
    }
}
