using Microsoft.Extensions.DependencyInjection;
using System.CommandLine;
using Segel.Server.Hosting;

namespace Segel.Cli.Commands;

internal static class ServeCommand
{
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
            foreach (string warning in await StartupChecks.WarningsAsync(app.Services.GetRequiredService<Segel.Core.Configuration.SegelOptions>(), cancellationToken))
            {
                await Console.Error.WriteLineAsync("segel: warning: " + warning);
            }
            await app.StartAsync(cancellationToken);
            foreach (string url in app.Urls)
            {
                Console.WriteLine($"Segel is listening on {url}  (data: {folder.Path})");
            }
            Console.WriteLine($"Operator API token: {Path.Combine(folder.Path, DataFolder.AdminTokenFile)} (or $" + DataFolder.AdminTokenVariable + ")");
            // Links in mail, QR codes and certificates use PublicBaseUrl, fixed when the CA was made; say so when it is not
            // where this server listens (a demonstration built for port 8080 served on another), rather than let links break.
            string publicUrl = app.Services.GetRequiredService<Segel.Core.Configuration.SegelOptions>().PublicBaseUrl.TrimEnd('/');
            if (!app.Urls.Any(u => string.Equals(SegelServer.PublicUrlFrom(u), publicUrl, StringComparison.OrdinalIgnoreCase)))
            {
                Console.WriteLine($"Note: links in e-mails and QR codes point to PublicBaseUrl {publicUrl}, not to {string.Join(", ", app.Urls)}; " +
                    $"serve with --urls {publicUrl}, or put that address in front of this one.");
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
