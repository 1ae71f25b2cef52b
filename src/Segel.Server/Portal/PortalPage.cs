using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Server.Api;
using Segel.Server.Security;

namespace Segel.Server.Portal;

/// <summary>
/// A portal page for signed-in people. ASP.NET Core's authorization runs first: the portal's cookie scheme finds the
/// caller (or sends them to sign in), and the page's <see cref="PortalAccessAttribute"/> refuses a person without one
/// of its roles before anything runs. The page turns the core's refusals into messages next to the field they
/// concern. The page's role list only decides what to show; the core checks every action again.
/// </summary>
[PortalAccess]
public abstract class PortalPage : PageModel
{
    /// <summary>The signed-in person, as the portal's authentication scheme found them.</summary>
    public Principal Caller => SegelIdentity.Of(User) ?? throw new InvalidOperationException("No signed-in caller: the page is not guarded by PortalAccess.");

    /// <summary>The core's clock, for what a page shows as "now" (a lockout still running, say).</summary>
    public DateTimeOffset Now => HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();

    /// <summary>The portal's words, for messages a page makes itself.</summary>
    protected IStringLocalizer<UiText> Text => HttpContext.RequestServices.GetRequiredService<IStringLocalizer<UiText>>();

    protected string? Origin => HttpCaller.Origin(HttpContext);

    protected static CultureInfo Language => CultureInfo.CurrentUICulture;

    /// <summary>The request header portal.js sends when it posts a form itself (to keep chosen files when the form is refused).</summary>
    public const string ScriptedFormHeader = "Segel-Form";

    /// <summary>The answer's header naming where to go next, for a form portal.js posted (it cannot see a redirect it follows).</summary>
    public const string NextPageHeader = "Segel-Location";

    /// <summary>
    /// After a form succeeded: a redirect; for a form portal.js posted, the address in a header instead, so the next
    /// page is fetched once, by the browser (a followed redirect would use up the message the next page shows).
    /// </summary>
    protected IActionResult GoTo(string url)
    {
        if (Request.Headers.ContainsKey(ScriptedFormHeader))
        {
            Response.Headers[NextPageHeader] = url;
            return new NoContentResult();
        }
        return Redirect(url);
    }

    /// <summary>Shows a refusal from the core next to its field (or above the form), in the reader's language.</summary>
    protected void Show(SegelException error, string? field = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        ModelState.AddModelError(field ?? PropertyFor(error.Field), error.MessageIn(Language));
    }

    /// <summary>The form field (a bound property of the page) that the core's field name stands for, or the whole form.</summary>
    private string PropertyFor(string? field) =>
        field is null ? "" : GetType().GetProperties().FirstOrDefault(p => string.Equals(p.Name, field, StringComparison.OrdinalIgnoreCase))?.Name ?? "";

    /// <summary>The status a failed form is answered with: the core's kind of refusal, never 500.</summary>
    protected static int StatusOf(SegelException error) => ProblemMapping.StatusFor(error?.Kind ?? ErrorKind.Invalid);

    /// <summary>
    /// Runs one action of a form. Success stores the key of its message for the next page and redirects to
    /// <paramref name="back"/> (so reloading repeats nothing); a refusal is shown next to its field on the page
    /// <paramref name="reshow"/> builds again, with secrets the reader typed forgotten, under the status it deserves;
    /// <paramref name="field"/> names the form field a refusal belongs to when the core's field name would point elsewhere.
    /// </summary>
    protected async Task<IActionResult> ActAsync(Func<CancellationToken, Task<string>> action, Func<Task<IActionResult>> reshow, string back,
        Func<SegelException, string?>? field = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(reshow);
        string done;
        try
        {
            done = await action(HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            return await RefusedAsync(e, reshow, field?.Invoke(e));
        }
        TempData[DoneKey] = done;
        return Redirect(back);
    }

    /// <summary>Shows a refusal next to its field on the page <paramref name="reshow"/> builds again, secrets forgotten, under the refusal's status.</summary>
    protected async Task<IActionResult> RefusedAsync(SegelException error, Func<Task<IActionResult>> reshow, string? field = null)
    {
        ArgumentNullException.ThrowIfNull(reshow);
        Show(error, field);
        ForgetSecrets();
        IActionResult page = await reshow();
        return page is PageResult shown ? shown.WithStatus(StatusOf(error)) : page;
    }

    public const string DoneKey = "done";

    /// <summary>Clears passphrases and passwords from the model, so a refused form never sends them back to the browser.</summary>
    protected virtual void ForgetSecrets()
    {
    }

    /// <summary>Re-shows the page with the form's errors under the status the refusal deserves.</summary>
    protected PageResult Failed(SegelException error, string? field = null)
    {
        Show(error, field);
        return Page().WithStatus(StatusOf(error));
    }
}
