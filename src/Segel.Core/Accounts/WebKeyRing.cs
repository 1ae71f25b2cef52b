using System.Text;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Privacy;
using Segel.Core.Storage;

namespace Segel.Core.Accounts;

/// <summary>
/// Where the web host keeps the keys that protect its forms and cookies: in the database, so every node reads the same
/// ring (a form served by one node is accepted by the next) and a restart keeps them; each key sealed under the master
/// key, so the database alone opens none. Host infrastructure with no caller of its own, like the authority ring. The
/// key manager calls it synchronously, at start and when it makes a key (every 90 days), so the calls block.
/// </summary>
public sealed class WebKeyRing
{
    /// <summary>More than a key manager ever makes in Segel's life (one every 90 days); a bound on what is read.</summary>
    public const int MaxKeys = 1000;
    private const int MaxXmlLength = 64 * 1024;
    private const string Purpose = "web-key";
    private readonly SegelDatabase _database;
    private readonly PersonalDataProtector _protector;
    private readonly TimeProvider _time;

    internal WebKeyRing(SegelDatabase database, PersonalDataProtector protector, TimeProvider time)
    {
        _database = database;
        _protector = protector;
        _time = time;
    }

    /// <summary>Every key's XML, oldest first.</summary>
    public IReadOnlyList<string> ReadAll()
    {
        using SegelDbContext db = _database.CreateContext();
        return [.. db.WebKeys.AsNoTracking().OrderBy(k => k.Id).Take(MaxKeys).AsEnumerable()
            .Select(k => Encoding.UTF8.GetString(_protector.Open(Purpose, k.Sealed, Encoding.UTF8.GetBytes(k.Name))))];
    }

    public void Add(string name, string xml)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(xml);
        if (name.Length > 100 || xml.Length > MaxXmlLength)
        {
            throw new ArgumentException("A web key is a short XML element with a short name.", nameof(xml));
        }
        using SegelDbContext db = _database.CreateContext();
        db.WebKeys.Add(new WebKeyRecord
        {
            Name = name,
            Sealed = _protector.Seal(Purpose, Encoding.UTF8.GetBytes(xml), Encoding.UTF8.GetBytes(name)),
            CreatedAt = _time.GetUtcNow(),
        });
        db.SaveChanges();
    }
}
