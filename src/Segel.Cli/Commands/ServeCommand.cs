using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Segel.Core.Configuration;
using System.CommandLine;
using Segel.Server.Hosting;

namespace Segel.Cli.Commands;

internal static partial class ServeCommand
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Note}")]
    private static partial void LogNote(ILogger logger, string note);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogWarning(ILogger logger, string warning);

    public static Command Create()
    {
        Option<string?> data = CommonOptions.Data();
        var urls = new Option<string?>("--urls") { Description = "Where to listen, e.g. http://127.0.0.1:8080 (default; ';' separates several).", HelpName = "URLS" };
        var command = new Command("serve", "Serve the web portal, the API, OCSP, CRLs, time-stamps and CA certificates. Creates the CA on first start.") { data, urls };
        command.SetAction(async (result, cancellationToken) =>
        {
            DataFolder folder = CommonOptions.Folder(result, data);
            string listen = result.GetValue(urls) ?? Environment.GetEnvironmentVariable("SEGEL_URLS") ?? LocalPublicUrl(folder) ?? "http://127.0.0.1:8080";
            WebApplication app = await SegelServer.CreateAsync(new ServeSettings(folder, listen), cancellationToken);
            SegelOptions options = app.Services.GetRequiredService<SegelOptions>();
            // With JSON logs every line on the console is a JSON object, these notes too; otherwise they are plain lines.
            ILogger? json = string.Equals(options.Log.Format?.Trim(), LogOptions.Json, StringComparison.OrdinalIgnoreCase)
                ? app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Segel.Cli.Serve")
                : null;
            foreach (string warning in await StartupChecks.WarningsAsync(options, cancellationToken))
            {
                if (json is null)
                {
                    await Console.Error.WriteLineAsync("segel: warning: " + warning);
                }
                else
                {
                    LogWarning(json, warning);
                }
            }
            await app.StartAsync(cancellationToken);
            List<string> notes = [.. app.Urls.Select(url => $"Segel is listening on {url}  (data: {folder.Path})")];
            notes.Add($"Operator API token: {Path.Combine(folder.Path, DataFolder.AdminTokenFile)} (or $" + DataFolder.AdminTokenVariable + ")");
            // Links in mail, QR codes and certificates use PublicBaseUrl, fixed when the CA was made; say so when it is not
            // where this server listens (a demonstration built for port 8080 served on another), rather than let links break.
            string publicUrl = options.PublicBaseUrl.TrimEnd('/');
            if (!app.Urls.Any(u => string.Equals(SegelServer.PublicUrlFrom(u), publicUrl, StringComparison.OrdinalIgnoreCase)))
            {
                notes.Add($"Note: links in e-mails and QR codes point to PublicBaseUrl {publicUrl}, not to {string.Join(", ", app.Urls)}; " +
                    $"serve with --urls {publicUrl}, or put that address in front of this one.");
            }
            foreach (string note in notes)
            {
                if (json is null)
                {
                    Console.WriteLine(note);
                }
                else
                {
                    LogNote(json, note);
                }
            }
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Where a folder's links point, when that is this machine over plain HTTP (a demonstration built with --base-url, a
    /// first trial): served there by default, so its links and QR codes lead back to it. A public name is left to --urls.
    /// </summary>
    private static string? LocalPublicUrl(DataFolder folder)
    {
        if (!folder.HasConfig)
        {
            return null;
        }
        try
        {
            using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(folder.ConfigFile));
            return config.RootElement.TryGetProperty("PublicBaseUrl", out var value) && Uri.TryCreate(value.GetString(), UriKind.Absolute, out Uri? url)
                && url.Scheme == Uri.UriSchemeHttp && url.IsLoopback && url.AbsolutePath == "/"
                ? url.GetLeftPart(UriPartial.Authority)
                : null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException or UnauthorizedAccessException)
        {
            return null; // the server's own reading of the file says what is wrong with it
        }
    }
}
