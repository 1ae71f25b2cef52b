using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Segel.Server.Portal;

/// <summary>
/// The portal's stylesheet and scripts, embedded in the assembly (no front-end build, nothing on disk to lose).
/// pdf.js (Mozilla, Apache-2.0, vendored unchanged under Portal/vendor/pdfjs) draws PDF pages in the browser
/// for document previews and for placing a signature; the PDF never leaves the reader's machine for that.
/// </summary>
public static class PortalAssets
{
    private static readonly (string Path, string Resource, string Type)[] Assets =
    [
        ("/portal.css", "Segel.Server.portal.css", "text/css; charset=utf-8"),
        ("/portal.js", "Segel.Server.portal.js", "text/javascript; charset=utf-8"),
        ("/portal-pdf.mjs", "Segel.Server.portal-pdf.mjs", "text/javascript; charset=utf-8"),
        ("/vendor/pdfjs/pdf.min.mjs", "Segel.Server.pdf.min.mjs", "text/javascript; charset=utf-8"),
        ("/vendor/pdfjs/pdf.worker.min.mjs", "Segel.Server.pdf.worker.min.mjs", "text/javascript; charset=utf-8"),
    ];

    public static IEndpointRouteBuilder MapPortalAssets(this IEndpointRouteBuilder app)
    {
        foreach ((string path, string resource, string type) in Assets)
        {
            app.MapGet(path, (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "public, max-age=3600";
                context.Response.Headers.XContentTypeOptions = "nosniff";
                Stream content = typeof(PortalAssets).Assembly.GetManifestResourceStream(resource) ?? throw new InvalidOperationException($"{resource} is not embedded.");
                return Results.Stream(content, type);
            }).ExcludeFromDescription();
        }
        // A seal: the portal's icon, so browsers need not ask for a favicon.ico that does not exist.
        app.MapGet("/favicon.svg", () => Results.Text(Icon, "image/svg+xml")).ExcludeFromDescription();
        return app;
    }

    private const string Icon =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\"><circle cx=\"16\" cy=\"16\" r=\"15\" fill=\"#0b4f8a\"/>" +
        "<circle cx=\"16\" cy=\"16\" r=\"10\" fill=\"none\" stroke=\"#fff\" stroke-width=\"2\"/><path d=\"M11 16l4 4 7-8\" fill=\"none\" stroke=\"#fff\" stroke-width=\"2.5\"/></svg>";
}
