using Segel.Core;
using Segel.Core.Configuration;
using Segel.Core.Kernel;

namespace Segel.Server.Hosting;

/// <summary>
/// A data folder opened for the core: the setup to register with <see cref="SegelCoreServices.AddSegelCore"/>, and the
/// one step to take once the container is built. The server and the console both go through it.
/// </summary>
public sealed class CoreOpening
{
    private readonly DataFolder _folder;
    private readonly bool _initializeIfMissing;
    private readonly bool _firstStart;

    internal CoreOpening(DataFolder folder, SegelCoreSetup setup, bool initializeIfMissing, bool firstStart)
    {
        _folder = folder;
        Setup = setup;
        _initializeIfMissing = initializeIfMissing;
        _firstStart = firstStart;
    }

    public SegelCoreSetup Setup { get; }

    public SegelOptions Options => Setup.Options;

    /// <summary>
    /// Brings the schema up to date and, when opened to initialise, creates the CA if there is none; returns true when it did. Only after success
    /// is the configuration written: a failed first start (say, PostgreSQL unreachable) must leave nothing that makes
    /// the retry think a CA exists here.
    /// </summary>
    public async Task<bool> PrepareAsync(IServiceProvider services, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        bool created = await services.GetRequiredService<CoreStartup>().PrepareAsync(_initializeIfMissing, actor, cancellationToken);
        if (_firstStart && _initializeIfMissing)
        {
            _folder.WriteConfig(Options);
            _folder.MakePrivate(); // what Segel just made here: the database and its WAL too
        }
        return created;
    }
}
