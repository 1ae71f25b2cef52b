using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Segel.Core.Errors;
using Segel.Core.Supervision;
using Segel.Server.Api;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages.Complaints;

/// <summary>
/// Filing a complaint (Pasal 16(2)e): anyone, signed in or not — a holder, or a member of the public sent here from
/// the verification page with the signature named. The number and tracking code are shown once, after a redirect, so
/// reloading files nothing twice. Rate-limited per address like every page open to the public.
/// </summary>
[EnableRateLimiting(RateLimits.Anonymous)]
public sealed class FileModel(Core.Supervision.Complaints complaints) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "perihal")]
    public string? Topic { get; set; }

    [BindProperty(SupportsGet = true, Name = "ref")]
    public string? Reference { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    public FiledComplaint? Filed { get; private set; }

    public void OnGet()
    {
        Response.Headers.CacheControl = "no-store";
        if (TempData["complaint-number"] is string number && TempData["complaint-code"] is string code)
        {
            Filed = new FiledComplaint(number, code);
        }
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Response.Headers.CacheControl = "no-store";
        try
        {
            FiledComplaint filed = await complaints.FileAsync(new NewComplaint(Topic, Reference, Text, Name, Email), SegelIdentity.Of(User),
                HttpCaller.Origin(HttpContext), HttpContext.RequestAborted);
            TempData["complaint-number"] = filed.Number;
            TempData["complaint-code"] = filed.TrackingCode;
            return Redirect("/pengaduan");
        }
        catch (SegelException e)
        {
            string field = e.Field switch
            {
                "topic" => nameof(Topic),
                "reference" => nameof(Reference),
                "name" => nameof(Name),
                "email" => nameof(Email),
                _ => nameof(Text),
            };
            ModelState.AddModelError(field, e.MessageIn(CultureInfo.CurrentUICulture));
            return Page().WithStatus(ProblemMapping.StatusFor(e.Kind));
        }
    }
}
