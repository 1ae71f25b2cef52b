using System.Reflection;
using System.Runtime.CompilerServices;
using Segel.Core.Ca;
using Segel.Core.Lifecycle;
using Segel.Core.Storage;

namespace Segel.Core.Tests.Architecture;

/// <summary>
/// Adapters (the server's endpoints and pages, the CLI's commands) reach Segel's data only through the core's
/// feature services, which check the caller. The compiler enforces it: the database and its entities, the
/// authorities' keys and the issuance internals are <c>internal</c>, and only tests and benchmarks are friends of the core. This test
/// keeps that from being undone quietly (a type made public again, an adapter added as a friend).
/// </summary>
public sealed class AdapterBoundaryTests
{
    private static readonly Assembly Core = typeof(SegelCa).Assembly;

    [Fact]
    public void The_database_keys_and_issuance_internals_are_not_public()
    {
        Type[] inside = [typeof(SegelDbContext), typeof(SqliteSegelDbContext), typeof(PostgresSegelDbContext), typeof(SegelDatabase), typeof(AuthorityRing),
            typeof(CertificateIssuance), typeof(CertificateRevocation), typeof(CaInitializer), typeof(DatabaseStatusSource), typeof(OcspResponders),
            typeof(LifecycleContext), typeof(DecisionSigner)];
        Assert.All(inside, t => Assert.False(t.IsVisible, $"{t.Name} is public"));
        Assert.False(typeof(LoadedAuthority).GetProperty(nameof(LoadedAuthority.Key), BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)!
            .GetMethod!.IsPublic, "an authority's signing key is reachable from outside the core");
    }

    [Fact]
    public void Every_entity_is_internal()
    {
        Type[] entities = [.. typeof(SegelDbContext).GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(Microsoft.EntityFrameworkCore.DbSet<>))
            .Select(p => p.PropertyType.GetGenericArguments()[0])];
        Assert.NotEmpty(entities);
        Assert.All(entities, t => Assert.False(t.IsVisible, $"{t.Name} is public: adapters get a view of it, never the entity"));
    }

    [Fact]
    public void The_composition_root_exposes_no_service()
    {
        string[] exposed = [.. typeof(SegelCa).GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Select(m => m.Name).Where(n => n != nameof(SegelCa.Dispose))];
        Assert.Empty(exposed);
        Assert.DoesNotContain(typeof(SegelCa).GetConstructors(), c => c.IsPublic);
    }

    [Fact]
    public void Only_tests_and_benchmarks_see_the_core_s_internals()
    {
        string[] friends = [.. Core.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName)];
        Assert.NotEmpty(friends);
        Assert.All(friends, f => Assert.True(f.EndsWith(".Tests", StringComparison.Ordinal) || f is "Segel.Testing" or "Segel.Bench", $"{f} sees the core's internals"));
    }

    [Fact]
    public void No_public_member_of_the_core_takes_or_returns_the_database()
    {
        string[] leaks = [.. Core.GetExportedTypes()
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => TypesOf(m).Any(t => typeof(Microsoft.EntityFrameworkCore.DbContext).IsAssignableFrom(t)))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}")];
        Assert.Empty(leaks);
    }

    private static IEnumerable<Type> TypesOf(MemberInfo member) => member switch
    {
        MethodInfo m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType),
        ConstructorInfo c => c.GetParameters().Select(p => p.ParameterType),
        PropertyInfo p => [p.PropertyType],
        FieldInfo f => [f.FieldType],
        _ => [],
    };
}
