using Segel.Core.Kernel;

namespace Segel.Core;

/// <summary>What a process does once before it serves: bring the schema up to date and, when asked, create the CA.</summary>
public sealed class CoreStartup
{
    private readonly SegelCa _ca;

    internal CoreStartup(SegelCa ca) => _ca = ca;

    /// <summary>Returns true when it created the CA.</summary>
    public Task<bool> PrepareAsync(bool initializeIfMissing, Actor actor, CancellationToken cancellationToken = default) =>
        _ca.PrepareAsync(initializeIfMissing, actor, cancellationToken);
}
