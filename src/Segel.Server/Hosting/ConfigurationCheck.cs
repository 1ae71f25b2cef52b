using Segel.Core.Ca;
using Segel.Core.Configuration;
using Segel.Core.Errors;
using Segel.Texts;

namespace Segel.Server.Hosting;

/// <summary>
/// Every mistake in the settings that would stop Segel, found before anything is opened or listens (issue 25.6): one
/// line each, all at once, so an administrator mends them in one go instead of one per start. The checks are the same
/// code that reads each setting later; this only runs them first and gathers what they say.
/// </summary>
public static class ConfigurationCheck
{
    /// <summary>Refuses with every mistake, one per line; a single one as itself, with its kind (a missing master key is "not ready", exit 7).</summary>
    /// <param name="urls">Where the server will listen; null for a console command, which needs only the CA's settings, the database and the master key.</param>
    public static void ThrowIfAny(SegelOptions options, DataFolder folder, IReadOnlyList<string>? urls, bool firstStart)
    {
        List<SegelException> mistakes = Find(options, folder, urls, firstStart);
        if (mistakes.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(mistakes[0]);
        }
        if (mistakes.Count > 1)
        {
            throw new SegelException(ErrorKind.Invalid, string.Join('\n', mistakes.Select(m => m.Message)), new AggregateException(mistakes));
        }
    }

    private static List<SegelException> Find(SegelOptions options, DataFolder folder, IReadOnlyList<string>? urls, bool firstStart)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(folder);
        var mistakes = new List<SegelException>();
        void Check(Action read)
        {
            try
            {
                read();
            }
            catch (SegelException e)
            {
                mistakes.Add(e);
            }
        }
        Check(() => _ = new CaSettings(options)); // PublicBaseUrl, then the CA's names, OIDs and algorithms
        Check(() => Core.DatabaseLocation.ProviderOf(options.Database));
        if (urls is not null)
        {
            // What only the server reads; a console command (a backup, say) is not stopped by a proxy or log setting.
            Check(() => LogSetup.Check(options.Log));
            Check(() => ForwardedHeaders.Parse(options.Proxies));
            Check(() => HttpsSetup.Load(options.Https, folder.Path, urls)?.Dispose());
            Check(() => Core.Recipients.DirectoryPublishing.CheckOptions(options.Directory));
            if (options.Smtp.Host is { Length: > 0 } && options.Smtp.Port is < 1 or > 65535)
            {
                mistakes.Add(SegelException.Invalid("Smtp:Port", Localized.Of("Error.SmtpPortBetween165535", options.Smtp.Port)));
            }
        }
        if (!firstStart && !options.Ca.Pkcs11MasterKey)
        {
            Check(() => folder.ResolveMasterKey(options, create: false));
        }
        return mistakes;
    }
}
