using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Segel.Server.Publication;

/// <summary>The frame of Segel's few public pages: plain HTML, no script, a strict Content-Security-Policy, never cached.</summary>
internal static class HtmlPage
{
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static IResult Render(HttpContext context, string title, string body, int status = 200, string language = "id")
    {
        HttpResponse response = context.Response;
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        string html = $$"""
            <!doctype html>
            <html lang="{{language}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Segel — {{E(title)}}</title>
            <style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
            pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem;border:1px solid #ddd}.error{color:#a00;font-weight:600}
            input:not([type=checkbox]):not([type=file]){width:100%;padding:.5rem;font-size:1rem}button{padding:.6rem 1.2rem;font-size:1rem}
            .verdict{padding:.8rem 1rem;border-radius:.4rem;font-weight:700;font-size:1.2rem}.valid{background:#e3f5e1;color:#14532d}
            .invalid{background:#fde2e1;color:#7f1d1d}.indeterminate{background:#fff4d6;color:#713f12}dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}
            dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}nav{text-align:right}</style>
            </head><body>
            {{body}}
            </body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }
}
