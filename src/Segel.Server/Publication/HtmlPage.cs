using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Segel.Server.Publication;

/// <summary>The frame of Segel's plain public pages (confirmation, verification): no script, the portal's stylesheet and Content-Security-Policy, never cached.</summary>
internal static class HtmlPage
{
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static IResult Render(HttpContext context, string title, string body, int status = 200, string language = "id")
    {
        HttpResponse response = context.Response;
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XContentTypeOptions = "nosniff";
        // Stricter than the portal's: these pages have no script at all, and take only the stylesheet from here.
        response.Headers["Content-Security-Policy"] = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        string html = $$"""
            <!doctype html>
            <html lang="{{language}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Segel — {{E(title)}}</title>
            <link rel="stylesheet" href="/portal.css">
            <link rel="icon" href="/favicon.svg" type="image/svg+xml">
            </head><body><main class="narrow">
            {{body}}
            </main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }
}
