using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Segel.Server.Portal;

/// <summary>Small helpers every portal page uses: a re-shown form's status, and reading an uploaded file.</summary>
public static class PortalResults
{
    /// <summary>The page again, answered with <paramref name="status"/> (a refused form is a 4xx, not a 200 with an error in it).</summary>
    public static PageResult WithStatus(this PageResult page, int status)
    {
        ArgumentNullException.ThrowIfNull(page);
        page.StatusCode = status;
        return page;
    }

    /// <summary>An uploaded file's bytes; its size was bounded by the page's request limit before it got here.</summary>
    public static async Task<byte[]> ReadAsync(IFormFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        using var buffer = new MemoryStream((int)Math.Min(file.Length, int.MaxValue));
        await file.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>
    /// Headers for a document someone uploaded (a KTP scan, a signed letter): opened on its own it may run nothing —
    /// a sandbox without scripts, never framed elsewhere — and no cache keeps it.
    /// </summary>
    public static void SandboxDocument(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.ContentSecurityPolicy = "default-src 'none'; img-src 'self'; sandbox; frame-ancestors 'none'";
        response.Headers.CacheControl = "private, no-store";
    }
}
