using Microsoft.AspNetCore.Http;

namespace Segel.Server.Hosting;

/// <summary>
/// Security headers on every response, whichever endpoint wrote it: pages that set their own (the portal, the verification
/// page) keep theirs; everything else — the CPS, the API reference, JSON, certificates, CRLs, errors — gets these.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>For what is not a page of ours: nothing may load, nothing may frame it.</summary>
    public const string NoContentPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>The CP/CPS (possibly the regency's own HTML): its inline styles, no script at all.</summary>
    public const string DocumentPolicy = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>The API reference (Scalar): its scripts and the inline start-up module from this origin, calls to this origin only.</summary>
    public const string ReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'none'";

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                IHeaderDictionary headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                if (string.IsNullOrEmpty(headers.XFrameOptions))
                {
                    headers.XFrameOptions = "DENY";
                }
                if (string.IsNullOrEmpty(headers["Referrer-Policy"]))
                {
                    headers["Referrer-Policy"] = "same-origin";
                }
                if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
                {
                    PathString path = context.Request.Path;
                    headers.ContentSecurityPolicy = path.StartsWithSegments("/api/reference") ? ReferencePolicy
                        : path.StartsWithSegments("/cps") ? DocumentPolicy
                        : NoContentPolicy;
                }
                return Task.CompletedTask;
            });
            await next(context);
        });
        return app;
    }
}
