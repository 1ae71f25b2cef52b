using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Segel.Core.Errors;
using Segel.Pdf.Signing;
using Segel.Texts;

namespace Segel.Server.Bsre;

/// <summary>Reading the national API's fields the way its clients send them: strings for numbers, "true"/"false", any case.</summary>
internal static class BsreForms
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string? Text(IFormCollection form, string name) => form[name].ToString() is { Length: > 0 } text ? text.Trim() : null;

    public static bool Flag(StringValues value) => value.ToString().Trim().ToLowerInvariant() is "true" or "1" or "yes" or "ya";

    /// <summary>True for visible, false for invisible (or nothing); anything else is an error rather than a silent guess.</summary>
    public static bool Tampilan(string? value, string field) => (value ?? "").Trim().ToLowerInvariant() switch
    {
        "visible" => true,
        "invisible" or "" => false,
        _ => throw SegelException.Invalid(field, Localized.Of("Error.VisibleOrInvisible", field)),
    };

    public static int? Int(IFormCollection form, string name) =>
        Text(form, name) is not { } text ? null
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value
        : throw SegelException.Invalid(name, Localized.Of("Error.NotWholeNumber", name));

    public static double? Number(IFormCollection form, string name) =>
        Text(form, name) is not { } text ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value) ? value
        : throw SegelException.Invalid(name, Localized.Of("Error.NotANumber", name));

    /// <summary>B-LT unless the caller asks otherwise (a Segel extension: level=B-B|B-T|B-LT|B-LTA).</summary>
    public static PadesLevel Level(string? text) =>
        string.IsNullOrWhiteSpace(text) ? PadesLevel.BaselineLT
        : PadesLevels.TryParse(text, out PadesLevel level) ? level
        : throw SegelException.Invalid("level", Localized.Of("Error.PAdESLevelBBB"));

    public static async Task<byte[]> ReadAsync(IFormFile file, long max, string field, CancellationToken cancellationToken)
    {
        if (file.Length > max)
        {
            throw SegelException.Invalid(field, Localized.Of("Error.FileLargerMiB", field, max / (1024 * 1024)));
        }
        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    public static async Task<T> ReadJsonAsync<T>(HttpContext http, CancellationToken cancellationToken) where T : class
    {
        if (http.Request.HasJsonContentType() is false)
        {
            throw SegelException.Invalid("body", Localized.Of("Error.SendJsonBodyContentType"));
        }
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(http.Request.Body, Json, cancellationToken)
                ?? throw SegelException.Invalid("body", Localized.Of("Error.JsonBodyEmpty"));
        }
        catch (JsonException e)
        {
            throw SegelException.Invalid("body", Localized.Of("Error.JsonBodyCannotRead", e.Message));
        }
    }
}
