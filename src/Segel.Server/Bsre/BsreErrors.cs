using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Segel.Core.Errors;
using Segel.Server.Api;

namespace Segel.Server.Bsre;

/// <summary>
/// The national API's error shape, <c>{ "error": "...", "status_code": N }</c>, for every failure on its routes:
/// 2011 holder not registered, 2021 no (usable) certificate, 2031 wrong passphrase or code (all HTTP 400, as its
/// clients expect); anything else keeps Segel's HTTP status, which is also the status_code. Also authenticates:
/// HTTP Basic with an API token, 401 otherwise.
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
        if (await http.RequestServices.GetRequiredService<Authenticator>().AuthenticateAsync(http) is null)
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"segel\", charset=\"UTF-8\"";
            return Error(StatusCodes.Status401Unauthorized, StatusCodes.Status401Unauthorized,
                ErrorTexts.IsIndonesian(language) ? "Autentikasi aplikasi gagal: periksa username dan password (token API)." : "Application authentication failed: check the user name and password (API token).");
        }
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
            string message = e.Code == SigningErrors.NotRegistered && ErrorTexts.IsIndonesian(language) ? "Pengguna tidak terdaftar" : e.MessageIn(language);
            return Error(httpStatus, code, message, e.Code == SigningErrors.Locked ? "SUSPEND" : null);
        }
        catch (BadHttpRequestException e)
        {
            return Error(e.StatusCode, e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? (ErrorTexts.IsIndonesian(language) ? "Berkas terlalu besar." : "The upload is too large.")
                : (ErrorTexts.IsIndonesian(language) ? "Permintaan tidak dapat dibaca: " : "The request cannot be read: ") + e.Message);
        }
    }

    public static IResult Error(int httpStatus, int code, string message, string? status = null) =>
        Results.Json(status is null ? new { error = message, status_code = code } : (object)new { error = message, status_code = code, status }, statusCode: httpStatus);
}
