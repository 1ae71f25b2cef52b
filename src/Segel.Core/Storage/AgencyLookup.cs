using Microsoft.EntityFrameworkCore;

namespace Segel.Core.Storage;

/// <summary>An agency's id from the code people type (any case, spaces around), or null when there is none.</summary>
internal static class AgencyLookup
{
    public static string Normalise(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return code.Trim().ToUpperInvariant();
    }

    public static Task<int?> IdOfAsync(SegelDbContext db, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        string wanted = Normalise(code);
        return db.Agencies.Where(a => a.Code == wanted).Select(a => (int?)a.Id).SingleOrDefaultAsync(cancellationToken);
    }
}
