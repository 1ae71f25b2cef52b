using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Segel.Core.Errors;
using Segel.Server.Api;
using Segel.Server.Portal;

using Segel.Texts;

namespace Segel.Server.Bsre;

/// <summary>
/// The national API's error shape, <c>{ "error": "...", "status_code": N }</c>, for every failure on its routes:
/// 2011 holder not registered, 2021 no (usable) certificate, 2031 wrong passphrase or code (all HTTP 400, as its
/// clients expect); anything else keeps Segel's HTTP status, which is also the status_code. Callers are authenticated
/// before this runs (the token scheme, HTTP Basic with an API token; its 401 keeps this shape too).
/// </summary>
public sealed class BsreErrors : IEndpointFilter
{
    public const int NotRegistered = 2011, NoCertificate = 2021, WrongPassphrase = 2031;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        HttpContext http = context.HttpContext;
        CultureInfo language = Problems.LanguageOf(http);
        try
        {
            return await next(context);
        }
        catch (SegelException e)
        {
            (int httpStatus, int code) = e.Code switch
            {
                SigningErrors.NotRegistered => (StatusCodes.Status400BadRequest, NotRegistered),
                SigningErrors.NoCertificate => (StatusCodes.Status400BadRequest, NoCertificate),
                SigningErrors.WrongPassphrase or SigningErrors.Locked => (StatusCodes.Status400BadRequest, WrongPassphrase),
                _ => (ProblemMapping.StatusFor(e.Kind), ProblemMapping.StatusFor(e.Kind)),
            };
            string message = e.Code == SigningErrors.NotRegistered && Catalog.IsIndonesian(language) ? UiText.Get("NationalApi.NotRegistered", language) : e.MessageIn(language);
            return Error(httpStatus, code, message, e.Code == SigningErrors.Locked ? "SUSPEND" : null);
        }
        catch (BadHttpRequestException e)
        {
            return Error(e.StatusCode, e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? UiText.Get("NationalApi.TooLarge", language)
                : UiText.Get("NationalApi.Unreadable", language) + e.Message);
        }
    }

    public static IResult Error(int httpStatus, int code, string message, string? status = null) =>
        Results.Json(status is null ? new { error = message, status_code = code } : (object)new { error = message, status_code = code, status }, statusCode: httpStatus);
}
