using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Segel.Server.Portal;

namespace Segel.Server.Publication;

/// <summary>The frame of Segel's plain public pages (verification): the portal's header, footer and stylesheet, no script, never cached.</summary>
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
        string organization = context.RequestServices.GetService<Core.Configuration.SegelOptions>()?.Ca.Organization ?? "";
        // The footer's words are the portal's own, in the language this page speaks.
        var culture = System.Globalization.CultureInfo.GetCultureInfo(language == "en" ? "en" : "id-ID");
        string T(string key) => UiText.Get(key, culture);
        // The portal's frame (its header and footer links), written without Razor: these pages have no script and no session.
        string html = $$"""
            <!doctype html>
            <html lang="{{language}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Segel — {{E(title)}}</title>
            <link rel="stylesheet" href="/portal.css">
            <link rel="icon" href="/favicon.svg" type="image/svg+xml">
            </head><body>
            <header class="top"><a class="brand" href="/">Segel</a><span class="org">{{E(organization)}}</span></header>
            <main id="main" class="narrow">
            {{body}}
            </main>
            <footer><nav aria-label="{{E(T("FooterLinks"))}}">
            <a href="/verify?lang={{language}}">{{E(T("VerifyDocument"))}}</a> ·
            <a href="/panduan">{{E(T("HolderGuide"))}}</a> ·
            <a href="/cps">{{E(T("Cps"))}}</a> · <a href="/ca/chain.pem">{{E(T("CaCertificates"))}}</a> · <a href="/crl/issuing-ca.crl">CRL</a>
            </nav></footer>
            </body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }
}
