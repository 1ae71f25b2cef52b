using Microsoft.Extensions.DependencyInjection;

namespace Segel.Core;

/// <summary>
/// The core's feature services in a container, so an adapter (an endpoint, a page, a job) asks for the one
/// service it uses instead of the whole <see cref="SegelCa"/>. Wired by hand, in one place, as step-ca wires
/// its authority: each registration is the instance <see cref="SegelCa"/> built, so every door shares it.
/// </summary>
public static class SegelCoreServices
{
    public static IServiceCollection AddSegelCore(this IServiceCollection services, SegelCa ca)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(ca);
        services.AddSingleton(ca);
        services.AddSingleton(ca.Certificates);
        services.AddSingleton(ca.Enrollments);
        services.AddSingleton(ca.Review);
        services.AddSingleton(ca.EnrollmentQueries);
        services.AddSingleton(ca.RevocationRequests);
        services.AddSingleton(ca.RevocationRequestQueries);
        services.AddSingleton(ca.HolderStatuses);
        services.AddSingleton(ca.OwnKeys);
        services.AddSingleton(ca.Signing);
        services.AddSingleton(ca.Verification);
        services.AddSingleton(ca.Agencies);
        services.AddSingleton(ca.Employees);
        services.AddSingleton(ca.EmployeeImport);
        services.AddSingleton(ca.Users);
        services.AddSingleton(ca.Credentials);
        services.AddSingleton(ca.ApiTokens);
        services.AddSingleton(ca.Sessions);
        services.AddSingleton(ca.Audit);
        services.AddSingleton(ca.RegencySettings);
        services.AddSingleton(ca.Health);
        services.AddSingleton(ca.TimeStamps);
        return services;
    }
}
