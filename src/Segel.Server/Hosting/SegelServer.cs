using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Scalar.AspNetCore;
using Segel.Core;
using Segel.Core.Ca;
using Segel.Core.Configuration;
using Segel.Core.Kernel;
using Segel.Core.Operations;
using Segel.Core.Storage;
using Segel.Pki.Keys;
using Segel.Server.Api;
using Segel.Server.Bsre;
using Segel.Server.Jobs;
using Segel.Server.Ocsp;
using Segel.Server.Portal;
using Segel.Server.Publication;
using Segel.Server.Status;
using Segel.Server.Tsa;
using Segel.Server.Security;

namespace Segel.Server.Hosting;

/// <summary>Builds the HTTP server over the same core services, registered the same way, as the CLI uses.</summary>
public static partial class SegelServer
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Created a new CA in {Folder}.")]
    private static partial void LogCreated(ILogger logger, string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogLoosePermissions(ILogger logger, string warning);

    public static async Task<WebApplication> CreateAsync(ServeSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        CoreOpening core = Open(settings.Folder, settings.Urls, settings.Overrides, settings.Time, settings.InitializeIfMissing);
        SegelOptions options = core.Options;
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = settings.Folder.Path });
        string[] urls = settings.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        builder.WebHost.UseUrls(urls);
        X509Certificate2? tls = HttpsSetup.Load(options.Https, settings.Folder.Path, urls);
        if (tls is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration(); // the slim builder leaves HTTPS out unless asked
        }
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 1024 * 1024;
            if (tls is not null)
            {
                k.ConfigureHttpsDefaults(h => h.ServerCertificate = tls);
            }
        });
        LogSetup.Apply(builder.Logging, options.Log);
        settings.Logging?.Invoke(builder.Logging);
        builder.Services.AddSegelCore(core.Setup);
        builder.Services.AddSingleton(new Portal.ProgressBoard(settings.Time));
        builder.Services.AddSegelAuthentication(OperatorToken.Of(settings.Folder.ResolveAdminToken()), options.SignOn);
        builder.Services.AddSegelRateLimits(options.Limits.SignInPerMinute, options.Limits.SigningPerMinute);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemMapping>();
        builder.Services.AddOpenApi();
        builder.Services.AddPortal();
        Security.DatabaseKeyRepository.AddTo(builder.Services);
        builder.Services.AddHostedService<CrlRefreshJob>();
        builder.Services.AddHostedService<AuthorityRefreshJob>();
        builder.Services.AddHostedService<TrustedListRefreshJob>();
        builder.Services.AddHostedService<UpstreamStatusJob>();
        builder.Services.AddHostedService<AuditCheckpointJob>();
        builder.Services.AddHostedService<TransparencyHeadJob>();
        builder.Services.AddHostedService<RenewalReminderJob>();
        builder.Services.AddHostedService<KeyDestructionJob>();
        builder.Services.AddHostedService<MailOutboxJob>();
        builder.Services.AddHostedService<DirectoryPublishingJob>();
        builder.Services.AddHostedService<ReportScheduleJob>();
        if (DatabaseLocation.ProviderOf(options.Database) == DatabaseProvider.Sqlite)
        {
            builder.Services.AddSingleton<IStatusChangeProbe>(sp => new SqliteStatusChangeProbe(sp.GetRequiredService<DatabaseLocation>().ConnectionString));
        }
        else
        {
            builder.Services.AddSingleton<PostgresStatusListener>();
            builder.Services.AddSingleton<IStatusChangeProbe>(sp => sp.GetRequiredService<PostgresStatusListener>());
            builder.Services.AddHostedService(sp => sp.GetRequiredService<PostgresStatusListener>());
        }

        WebApplication app = builder.Build();
        bool created;
        try
        {
            created = await core.PrepareAsync(app.Services, Actor.System, cancellationToken);
            // A restored CA must not answer OCSP or publish a CRL before it knows what happened after its backup.
            await app.Services.GetRequiredService<Restoration>().ThrowIfPendingAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        app.UseOcspFastLane();
        app.UseRequestLog();
        app.UseForwardedHeadersFrom(options.Proxies);
        if (tls is not null && urls.FirstOrDefault(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) is { } secure
            && Uri.TryCreate(secure.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out Uri? https))
        {
            app.UseSegelHttps(options.Https, https.Port);
        }
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UsePortal();
        app.UseRouting();
        Prometheus.CollectorRegistry metrics = app.UseSegelMetrics();
        BodyLimit.UseBodyLimits(app);
        app.UseRateLimiter();
        app.UseSegelAuthentication();
        app.MapOpenApi();
        app.MapScalarApiReference("/api/reference", o => o.WithTitle("Segel API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapOcsp();
        app.MapTimeStamping();
        app.MapPublication();
        app.MapTransparencyLog();
        app.MapHealth();
        app.MapSegelMetrics(metrics, app.Services.GetRequiredService<CaHealth>());
        app.MapCertificateApi();
        app.MapDirectoryApi();
        app.MapEncryptionApi(options.Limits.PdfMegabytes);
        app.MapPeopleApi();
        app.MapOrganizationApi();
        app.MapEnrollmentApi();
        app.MapRevocationRequestApi();
        app.MapRecordApi();
        app.MapComplaintApi();
        app.MapSignatureApi(options.Limits.PdfMegabytes);
        app.MapKeyRecoveryApi();
        app.MapSealApi(options.Limits.PdfMegabytes);
        app.MapBsreApi(options.Limits.PdfMegabytes);
        app.MapPortal();
        if (created)
        {
            LogCreated(app.Logger, settings.Folder.Path);
        }
        foreach (string warning in settings.Folder.LooserThanPrivate())
        {
            LogLoosePermissions(app.Logger, warning);
        }
        return app;
    }

    /// <summary>
    /// Loads configuration from the data folder and opens its key store, ready to register the core. A folder with no
    /// segel.json gets one (once <see cref="CoreOpening.PrepareAsync"/> succeeds), with the public base URL taken from
    /// the first listen URL unless configured otherwise.
    /// </summary>
    public static CoreOpening Open(DataFolder folder, string? listenUrls, IDictionary<string, string?>? overrides, TimeProvider time, bool initializeIfMissing)
    {
        ArgumentNullException.ThrowIfNull(folder);
        bool firstStart = !folder.HasConfig;
        var merged = new Dictionary<string, string?>(overrides ?? new Dictionary<string, string?>());
        if (firstStart && !merged.ContainsKey(nameof(SegelOptions.PublicBaseUrl)) &&
            Environment.GetEnvironmentVariable("SEGEL_PublicBaseUrl") is null && listenUrls is not null)
        {
            merged[nameof(SegelOptions.PublicBaseUrl)] = PublicUrlFrom(listenUrls);
        }
        SegelOptions options = SegelConfiguration.Load(folder, merged);
        ConfigurationCheck.ThrowIfAny(options, folder, listenUrls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), firstStart);
        bool create = firstStart && initializeIfMissing;
        if (create)
        {
            // The master key file used to make the folder; with the master key on an HSM nothing else does before the database.
            folder.CreatePrivate();
        }
        (IKeyStore keyStore, MasterKey masterKey) = KeyStores.Open(options.Ca, () => folder.ResolveMasterKey(options, create), create);
        return new CoreOpening(folder, new SegelCoreSetup(options, folder.Path, keyStore, SegelSecrets.FromMasterKey(masterKey), time), initializeIfMissing, firstStart);
    }

    /// <summary>The first listen URL, with a wildcard host replaced by one a client can reach.</summary>
    public static string PublicUrlFrom(string listenUrls)
    {
        string first = (listenUrls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "http://127.0.0.1:8080";
        return first.Replace("://*:", "://localhost:", StringComparison.Ordinal).Replace("://+:", "://localhost:", StringComparison.Ordinal)
            .Replace("://0.0.0.0:", "://localhost:", StringComparison.Ordinal).TrimEnd('/');
    }
}
