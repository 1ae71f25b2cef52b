using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Segel.Texts;

namespace Segel.Server.Api;

/// <summary>
/// RFC 9457 problem details in the caller's language: Bahasa Indonesia unless the request prefers English
/// (<c>Accept-Language</c>). Titles and the HTTP layer's own messages are the <c>Problem.*</c> texts of the
/// <see cref="Catalog"/>; the core's refusals carry their own keys (<c>Error.*</c>).
/// </summary>
public static class Problems
{
    public static readonly CultureInfo Indonesian = CultureInfo.GetCultureInfo("id-ID");
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    /// <summary>Indonesian unless the caller's Accept-Language ranks English higher.</summary>
    public static CultureInfo LanguageOf(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (StringWithQualityHeaderValue.TryParseList(http.Request.Headers.AcceptLanguage, out IList<StringWithQualityHeaderValue>? ranges))
        {
            foreach (StringWithQualityHeaderValue range in ranges.OrderByDescending(r => r.Quality ?? 1))
            {
                string tag = range.Value.ToString().ToLowerInvariant();
                if (tag.StartsWith("id", StringComparison.Ordinal) || tag.StartsWith("in", StringComparison.Ordinal))
                {
                    return Indonesian;
                }
                if (tag.StartsWith("en", StringComparison.Ordinal))
                {
                    return English;
                }
            }
        }
        return Indonesian;
    }

    public static string Text(CultureInfo language, string key, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(language);
        string text = Catalog.Find("Problem." + key, language)
            ?? throw new KeyNotFoundException($"No problem text Problem.{key}.");
        return string.Format(language, text, args);
    }

    public static ProblemDetails Details(HttpContext http, int status, string key, params object?[] args)
    {
        CultureInfo language = LanguageOf(http);
        return new ProblemDetails
        {
            Status = status,
            Title = Text(language, TitleKey(status)),
            Detail = Text(language, key, args),
            Type = $"https://segel.invalid/problems/{key}",
        };
    }

    public static IResult Result(HttpContext http, int status, string key, params object?[] args)
    {
        ProblemDetails details = Details(http, status, key, args);
        http.Response.Headers.ContentLanguage = LanguageOf(http).TwoLetterISOLanguageName;
        return Results.Problem(details);
    }

    public static string TitleKey(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "title:invalid",
        StatusCodes.Status401Unauthorized => "title:unauthorized",
        StatusCodes.Status403Forbidden => "title:forbidden",
        StatusCodes.Status404NotFound => "title:notfound",
        StatusCodes.Status409Conflict => "title:conflict",
        StatusCodes.Status413PayloadTooLarge => "title:toolarge",
        StatusCodes.Status422UnprocessableEntity => "title:refused",
        StatusCodes.Status429TooManyRequests => "title:toomany",
        _ => "title:notready",
    };
}
