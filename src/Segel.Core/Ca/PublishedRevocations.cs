using System.Collections.Concurrent;
using System.Formats.Asn1;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Storage;
using Segel.Pki.Certificates;
using Segel.Pki.Revocation;

namespace Segel.Core.Ca;

/// <summary>One entry of a CRL Segel published.</summary>
public sealed record PublishedRevocation(DateTimeOffset RevokedAt, RevocationReason Reason);

/// <summary>
/// What the newest published CRL of an issuer says, read back from its signed bytes: relying parties have seen it, so
/// it outranks the certificates table. A revocation cleared in the database behind Segel's back still answers
/// "revoked" over OCSP and stays on the next CRL (which refuses to be published without it). Parsed once per CRL number.
/// </summary>
public sealed class PublishedRevocations
{
    private readonly SegelDatabase _database;
    // Parsed once per CRL number. The newest number is asked for on every call: entries reused for a while without asking
    // (a minute, before issue 22.2) hid a CRL published meanwhile — the one every revocation publishes — so a row cleared
    // behind Segel's back within that minute answered "good". The OCSP status tables now take nearly every request, and
    // this read (an index seek) is left to the few they cannot answer.
    private readonly ConcurrentDictionary<int, (long Number, IReadOnlyDictionary<string, PublishedRevocation> Entries)> _cache = new();

    internal PublishedRevocations(SegelDatabase database) => _database = database;

    /// <summary>The newest CRL's entries by normalised serial, and its number (0 and none when nothing was published).</summary>
    public async Task<(long Number, IReadOnlyDictionary<string, PublishedRevocation> Entries)> LatestAsync(int issuerId, CancellationToken cancellationToken)
    {
        await using SegelDbContext db = _database.CreateContext();
        long number = await db.Crls.AsNoTracking().Where(c => c.IssuerId == issuerId).MaxAsync(c => (long?)c.Number, cancellationToken) ?? 0;
        if (number == 0)
        {
            return (0, new Dictionary<string, PublishedRevocation>());
        }
        if (_cache.TryGetValue(issuerId, out var cached) && cached.Number == number)
        {
            return cached;
        }
        IReadOnlyDictionary<string, PublishedRevocation> entries =
            Parse(await db.Crls.AsNoTracking().Where(c => c.IssuerId == issuerId && c.Number == number).Select(c => c.Der).SingleAsync(cancellationToken));
        _cache[issuerId] = (number, entries);
        return (number, entries);
    }

    /// <summary>
    /// The newest CRL's bytes straight from the database (null when none was published), for the OCSP status tables: they
    /// read its entries one by one (<see cref="Enumerate"/>) rather than keep a second dictionary of them.
    /// </summary>
    public async Task<byte[]?> ReadLatestAsync(int issuerId, CancellationToken cancellationToken)
    {
        await using SegelDbContext db = _database.CreateContext();
        return await db.Crls.AsNoTracking().Where(c => c.IssuerId == issuerId).OrderByDescending(c => c.Number)
            .Select(c => c.Der).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// The entries of a CRL Segel signed and stored (no signature check: it is our own record), read with .NET's
    /// <see cref="AsnReader"/> — fast enough to run before every publication (100,000 entries in milliseconds).
    /// </summary>
    public static IReadOnlyDictionary<string, PublishedRevocation> Parse(byte[] der)
    {
        var entries = new Dictionary<string, PublishedRevocation>(StringComparer.Ordinal);
        foreach ((string serial, PublishedRevocation revocation) in Enumerate(der))
        {
            entries[serial] = revocation;
        }
        return entries;
    }

    /// <summary>The same entries one by one, for a reader that needs each once (a million-entry CRL kept as a dictionary is hundreds of MB).</summary>
    public static IEnumerable<(string Serial, PublishedRevocation Revocation)> Enumerate(byte[] der)
    {
        AsnReader tbs = new AsnReader(der, AsnEncodingRules.DER).ReadSequence().ReadSequence();
        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            tbs.ReadInteger(); // version
        }
        tbs.ReadSequence(); // signature algorithm
        tbs.ReadSequence(); // issuer
        ReadTime(tbs); // thisUpdate
        if (tbs.HasData && (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) || tbs.PeekTag().HasSameClassAndValue(Asn1Tag.GeneralizedTime)))
        {
            ReadTime(tbs); // nextUpdate
        }
        if (!tbs.HasData || !tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            yield break;
        }
        AsnReader revoked = tbs.ReadSequence();
        while (revoked.HasData)
        {
            AsnReader entry = revoked.ReadSequence();
            string serial = SerialNumber.Normalise(entry.ReadIntegerBytes().Span);
            DateTimeOffset at = ReadTime(entry);
            RevocationReason reason = RevocationReason.Unspecified;
            if (entry.HasData)
            {
                foreach ((string oid, byte[] value) in ExtensionReader.Read(entry.ReadSequence()))
                {
                    if (oid == "2.5.29.21")
                    {
                        reason = (RevocationReason)(int)new AsnReader(value, AsnEncodingRules.DER).ReadEnumeratedBytes().Span[^1];
                    }
                }
            }
            yield return (serial, new PublishedRevocation(at, reason));
        }
    }

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();
}
