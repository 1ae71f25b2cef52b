using Segel.Core;
using Segel.Core.Configuration;
using Segel.Core.Kernel;
using Segel.Server.Hosting;

namespace Segel.Cli.Commands;

/// <summary>
/// The console's container: the same core services, registered by the same <see cref="SegelCoreServices.AddSegelCore"/>
/// as the server's, so a command obeys the rules a request does. A command asks for the one service it uses; it acts
/// as <see cref="Core.Accounts.Principal.Console"/>, the operator at the machine.
/// </summary>
internal sealed class ConsoleCore : IDisposable
{
    private readonly ServiceProvider _services;

    private ConsoleCore(ServiceProvider services, SegelOptions options, bool created)
    {
        _services = services;
        Options = options;
        Created = created;
    }

    public SegelOptions Options { get; }

    /// <summary>Whether opening created the CA (<c>segel init</c>).</summary>
    public bool Created { get; }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public static async Task<ConsoleCore> OpenAsync(DataFolder folder, IDictionary<string, string?>? overrides, TimeProvider time, bool initializeIfMissing,
        CancellationToken cancellationToken)
    {
        CoreOpening opening = SegelServer.Open(folder, null, overrides, time, initializeIfMissing);
        ServiceProvider services = new ServiceCollection().AddSegelCore(opening.Setup).BuildServiceProvider();
        try
        {
            bool created = await opening.PrepareAsync(services, Actor.Console(), cancellationToken);
            return new ConsoleCore(services, opening.Options, created);
        }
        catch
        {
            await services.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The core over the database as it is — not created, not upgraded, nothing sealed — for <c>segel migrate</c>, which
    /// must read the schema and take a backup before it changes anything.
    /// </summary>
    public static ConsoleCore OpenAsIs(DataFolder folder, TimeProvider time)
    {
        CoreOpening opening = SegelServer.Open(folder, null, null, time, initializeIfMissing: false);
        return new ConsoleCore(new ServiceCollection().AddSegelCore(opening.Setup).BuildServiceProvider(), opening.Options, created: false);
    }

    public void Dispose() => _services.Dispose();
}
