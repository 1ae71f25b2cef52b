using Microsoft.AspNetCore.Mvc;
using Segel.Core.Configuration;
using Segel.Core.Signing;

namespace Segel.Server.Pages.Verify;

/// <summary><c>/verify</c>: the upload form, and the verdict on what was uploaded (see <see cref="VerifyPageModel"/>).</summary>
public sealed class IndexModel(SegelOptions options, DocumentVerification verification) : VerifyPageModel(options)
{
    public override string Action => "/verify";

    public void OnGet() => Prepare();

    public Task<IActionResult> OnPostAsync()
    {
        Prepare();
        return CheckAsync(verification, null);
    }
}
