using Microsoft.Extensions.DependencyInjection;
using Segel.Core.Configuration;
using Segel.Core.Storage;
using Segel.Pki.Keys;

namespace Segel.Core;

/// <summary>What the core is opened with: configuration, the data folder, the key store and the secrets derived from the master key.</summary>
public sealed record SegelCoreSetup(SegelOptions Options, string DataDirectory, IKeyStore KeyStore, SegelSecrets Secrets, TimeProvider Time);

/// <summary>Where the database is, for what works beside Segel's own code: backups and the SQLite status watcher.</summary>
public sealed record DatabaseLocation(DatabaseProvider Provider, string ConnectionString)
{
    /// <summary>The PostgreSQL channel a change of certificate status is announced on, so every node's OCSP cache hears it.</summary>
    public const string StatusChannel = "segel_status";

    /// <summary>Which database the configuration names (before the core is built, to choose what watches it).</summary>
    public static DatabaseProvider ProviderOf(DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return SegelDatabase.ParseProvider(options.Provider);
    }
}

/// <summary>
/// The core's feature services in a container, so an adapter (an endpoint, a page, a job, a console command) asks
/// for the one service it uses. Wired by hand, in one place, as step-ca wires its authority: every registration is
/// an instance the internal composition root built, so every door shares it; the container owns and disposes it.
/// Only these types are reachable from outside the core — the database, the authorities' keys and the issuance
/// internals are <c>internal</c>, so the compiler keeps adapters from reaching past a service.
/// </summary>
public static class SegelCoreServices
{
    public static IServiceCollection AddSegelCore(this IServiceCollection services, SegelCoreSetup setup)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(setup);
        services.AddSingleton(_ => new SegelCa(setup.Options, setup.DataDirectory, setup.KeyStore, setup.Secrets, setup.Time));
        services.AddSingleton(setup.Options);
        services.AddSingleton(setup.Time);
        Add(services, ca => new CoreStartup(ca));
        Add(services, ca => new DatabaseLocation(ca.Database.Provider, ca.Database.ConnectionString));
        Add(services, ca => new DatabaseSchema(ca.Database));
        // Certificates and the CA's own authorities.
        Add(services, ca => ca.Certificates);
        Add(services, ca => ca.Authorities);
        Add(services, ca => ca.Settings);
        Add(services, ca => ca.Crls);
        Add(services, ca => ca.Ocsp);
        Add(services, ca => ca.LocalRevocation);
        Add(services, ca => ca.Anchors);
        Add(services, ca => ca.Subordinate);
        Add(services, ca => ca.TimeStamps);
        Add(services, ca => ca.ResponderRenewal);
        Add(services, ca => ca.Restoration);
        Add(services, ca => ca.Health);
        Add(services, ca => ca.UpstreamStatus);
        // Registration: applications, review, revocation requests, holders.
        Add(services, ca => ca.Enrollments);
        Add(services, ca => ca.Review);
        Add(services, ca => ca.EnrollmentQueries);
        Add(services, ca => ca.RevocationRequests);
        Add(services, ca => ca.RevocationRequestQueries);
        Add(services, ca => ca.HolderStatuses);
        Add(services, ca => ca.Agreements);
        Add(services, ca => ca.Reminders);
        Add(services, ca => ca.Officers);
        // Keys in custody and signing.
        Add(services, ca => ca.HolderKeys);
        Add(services, ca => ca.OwnKeys);
        Add(services, ca => ca.Signing);
        Add(services, ca => ca.SigningCodes);
        Add(services, ca => ca.Signatures);
        Add(services, ca => ca.Verification);
        Add(services, ca => ca.Extension);
        Add(services, ca => ca.Recipients);
        Add(services, ca => ca.Envelopes);
        Add(services, ca => ca.DirectoryPublishing);
        // Organization, people and accounts.
        Add(services, ca => ca.Agencies);
        Add(services, ca => ca.Employees);
        Add(services, ca => ca.EmployeeImport);
        Add(services, ca => ca.Users);
        Add(services, ca => ca.Credentials);
        Add(services, ca => ca.Invitations);
        Add(services, ca => ca.KeyDestruction);
        Add(services, ca => ca.KeyRecovery);
        Add(services, ca => ca.KeyRecoveryRequests);
        Add(services, ca => ca.Seals);
        Add(services, ca => ca.ApiTokens);
        Add(services, ca => ca.Sessions);
        Add(services, ca => new Accounts.WebKeyRing(ca.Database, ca.PersonalData, ca.Time));
        Add(services, ca => ca.RegencySettings);
        Add(services, ca => ca.Outbox);
        // Supervision.
        Add(services, ca => ca.Audit);
        Add(services, ca => ca.AuditCheckpoints);
        Add(services, ca => ca.TransparencyLog);
        Add(services, ca => ca.TransparencyLogVerifier);
        Add(services, ca => ca.Reports);
        Add(services, ca => ca.ReportSigning);
        Add(services, ca => ca.Complaints);
        Add(services, ca => ca.ScheduledReports);
        Add(services, ca => ca.Findings);
        return services;
    }

    // Each part is handed out through the root, so there is one of each however many doors ask; the container
    // disposes the root when it is disposed (and the OCSP service, which a second Dispose does not mind).
    private static void Add<T>(IServiceCollection services, Func<SegelCa, T> part) where T : class =>
        services.AddSingleton(sp => part(sp.GetRequiredService<SegelCa>()));
}
