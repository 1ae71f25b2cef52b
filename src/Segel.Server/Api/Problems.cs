using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Segel.Core.Errors;

namespace Segel.Server.Api;

/// <summary>
/// RFC 9457 problem details in the caller's language: Bahasa Indonesia unless the request prefers English
/// (<c>Accept-Language</c>). Titles and the HTTP layer's own messages live here; messages from the core
/// are translated by <see cref="ErrorTexts"/>.
/// </summary>
public static class Problems
{
    public static readonly CultureInfo Indonesian = CultureInfo.GetCultureInfo("id-ID");
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    private static readonly Dictionary<string, (string Id, string En)> Texts = new(StringComparer.Ordinal)
    {
        ["title:invalid"] = ("Permintaan tidak valid", "Invalid request"),
        ["title:notfound"] = ("Tidak ditemukan", "Not found"),
        ["title:conflict"] = ("Bertentangan dengan keadaan saat ini", "Conflicts with the current state"),
        ["title:refused"] = ("Ditolak oleh kebijakan", "Refused by policy"),
        ["title:notready"] = ("Belum siap", "Not ready"),
        ["title:forbidden"] = ("Tidak diizinkan", "Forbidden"),
        ["title:unauthorized"] = ("Perlu masuk", "Sign-in required"),
        ["title:toomany"] = ("Terlalu banyak permintaan", "Too many requests"),
        ["title:toolarge"] = ("Berkas terlalu besar", "Payload too large"),
        ["unauthorized"] = ("Kirim 'Authorization: Bearer TOKEN' dengan token sesi (POST /api/v1/sessions), token API, atau token operator.",
            "Send 'Authorization: Bearer TOKEN' with a session token (POST /api/v1/sessions), an API token or the operator token."),
        ["scope"] = ("Token ini tidak memberi cakupan '{0}'.", "This token does not grant the scope '{0}'."),
        ["signin-invalid"] = ("Nama pengguna atau kata sandi salah.", "Wrong username or password."),
        ["signin-second-factor"] = ("Masukkan kode TOTP dari aplikasi autentikator Anda (kode yang sudah dipakai tidak diterima lagi).",
            "Enter the TOTP code from your authenticator app (a code already used is not accepted again)."),
        ["signin-locked"] = ("Akun dikunci sementara setelah terlalu banyak percobaan gagal, sampai {0:HH:mm} UTC.", "The account is locked after too many failed attempts, until {0:HH:mm} UTC."),
        ["signin-disabled"] = ("Akun ini dinonaktifkan.", "This account is disabled."),
        ["toomany"] = ("Terlalu banyak permintaan; coba lagi sebentar lagi.", "Too many requests; try again in a moment."),
        ["toolarge"] = ("Isi permintaan melebihi batas {0} MiB.", "The request body is larger than {0} MiB."),
        ["badrequest"] = ("Permintaan tidak dapat dibaca: {0}", "The request could not be read: {0}"),
    };

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
        (string id, string en) = Texts[key];
        return string.Format(language, ErrorTexts.IsIndonesian(language) ? id : en, args);
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
