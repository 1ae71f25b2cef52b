using Segel.Core.Errors;
using Segel.Texts;

namespace Segel.Server.Api;

/// <summary>
/// Reading a multipart form as every upload endpoint needs it: a body of another type, a body that ends early (a dropped connection, a truncated
/// request), a malformed boundary or a form past its limits is the sender's mistake, answered as a clear 400, never a 500.
/// </summary>
public static class Uploads
{
    public static async Task<IFormCollection> ReadFormAsync(HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!http.Request.HasFormContentType)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.SendMultipartFormData"));
        }
        try
        {
            return await http.Request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.FormCannotRead", e.Message));
        }
        catch (BadHttpRequestException e) when (e.StatusCode != StatusCodes.Status413PayloadTooLarge)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.UploadCannotRead", e.Message));
        }
        catch (IOException e) when (e is not BadHttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.UploadEndedBeforeWholeForm", e.Message));
        }
    }
}
