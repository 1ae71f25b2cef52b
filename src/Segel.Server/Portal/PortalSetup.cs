using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Segel.Server.Portal;

/// <summary>
/// The web portal: server-rendered Razor Pages over the same core services as the API, in Bahasa Indonesia
/// (default) and English (a cookie set by /bahasa), with a strict Content-Security-Policy: no inline script or
/// style, everything from this origin.
/// </summary>
public static class PortalSetup
{
    public const string LanguageCookie = "segel-lang";
    public const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
    private static readonly CultureInfo[] Languages = [CultureInfo.GetCultureInfo("id-ID"), CultureInfo.GetCultureInfo("en")];

    public static IServiceCollection AddPortal(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddSingleton<IStringLocalizerFactory, CatalogLocalizerFactory>();
        // Named explicitly: MVC looks for pages from the entry assembly, which is not this one under a test host.
        services.AddRazorPages(o => o.Conventions.ConfigureFilter(new SecurityHeaders())).AddApplicationPart(typeof(PortalSetup).Assembly);
        return services;
    }

    public static WebApplication UsePortal(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseRequestLocalization(new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(Languages[0]),
            SupportedCultures = Languages,
            SupportedUICultures = Languages,
            RequestCultureProviders = [new CookieRequestCultureProvider { CookieName = LanguageCookie }],
        });
        return app;
    }

    public static IEndpointRouteBuilder MapPortal(this IEndpointRouteBuilder app)
    {
        app.MapRazorPages();
        app.MapPortalAssets();
        app.MapGet("/bahasa", ChooseLanguage).ExcludeFromDescription();
        return app;
    }

    /// <summary>Remembers the reader's language for a year and goes back where they were (only ever to a page of this site).</summary>
    private static IResult ChooseLanguage(string? to, string? back, HttpContext context)
    {
        string culture = to == "en" ? "en" : "id-ID";
        context.Response.Cookies.Append(LanguageCookie, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)), new CookieOptions
        {
            MaxAge = TimeSpan.FromDays(365),
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            IsEssential = true,
        });
        return Results.LocalRedirect(PortalLinks.IsLocal(back) ? back! : "/");
    }

    /// <summary>Sends the portal's security headers with every page.</summary>
    private sealed class SecurityHeaders : IAsyncPageFilter
    {
        public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

        public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
        {
            ArgumentNullException.ThrowIfNull(context);
            ArgumentNullException.ThrowIfNull(next);
            IHeaderDictionary headers = context.HttpContext.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            headers.XFrameOptions = "DENY";
            await next();
        }
    }
}
