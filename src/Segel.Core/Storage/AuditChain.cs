using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Segel.Core.Storage;

/// <summary>
/// The tamper-evident link between audit records (Pasal 21). Each record carries the MAC of the one before
/// it and its own MAC over a canonical encoding of everything it says. The MAC is HMAC-SHA256 under a key
/// derived from the master key, so someone who can write to the database but does not hold the key can
/// neither alter a record nor append a forged one without <c>segel audit verify</c> noticing.
/// </summary>
public sealed class AuditChain
{
    public const int MacLength = 32;
    private const string Domain = "segel-audit-v1";
    private const string RowDomain = "segel-row-v1";
    private const string RequestIdField = "request-id";
    private readonly byte[] _key;
    private readonly byte[] _rowKey;

    public AuditChain(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 32)
        {
            throw new ArgumentException("The audit key must have at least 256 bits.", nameof(key));
        }
        _key = key;
        _rowKey = HKDF.Expand(HashAlgorithmName.SHA256, key, MacLength, "segel/row-seals/v1"u8.ToArray());
    }

    /// <summary>What the first record links back to.</summary>
    public static byte[] Genesis { get; } = new byte[MacLength];

    public static AuditChain FromMasterKey(Pki.Keys.MasterKey masterKey)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        return new AuditChain(masterKey.Derive("segel/audit-chain/v1"));
    }

    internal byte[] Mac(AuditRecord record)
    {
        using IncrementalHash hmac = CreateHmac();
        return Mac(record, hmac);
    }

    /// <summary>A keyed HMAC to reuse across many records (<see cref="Mac(AuditRecord, IncrementalHash)"/>): keying it costs more than a record.</summary>
    public IncrementalHash CreateHmac() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);

    internal static byte[] Mac(AuditRecord record, IncrementalHash hmac)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(hmac);
        Span<byte> number = stackalloc byte[8];
        Append(hmac, Domain);
        BinaryPrimitives.WriteInt64BigEndian(number, record.Sequence);
        hmac.AppendData(number);
        BinaryPrimitives.WriteInt64BigEndian(number, record.At.ToUnixTimeMilliseconds());
        hmac.AppendData(number);
        Append(hmac, record.Actor);
        Append(hmac, record.Origin);
        Append(hmac, record.Action);
        Append(hmac, record.Subject);
        Append(hmac, record.Details);
        if (record.RequestId is not null)
        {
            // Only when present, so the records written before the column existed keep their MACs.
            Append(hmac, RequestIdField);
            Append(hmac, record.RequestId);
        }
        hmac.AppendData(record.PreviousMac ?? Genesis);
        return hmac.GetHashAndReset();
    }

    /// <summary>
    /// The seal of a security-relevant row (<see cref="ISealedRow"/>): an HMAC under a key derived from the chain's,
    /// over the table's name and the row's sealed fields. Whoever can write to the database but lacks the master key
    /// cannot make a changed or inserted row carry a valid seal.
    /// </summary>
    internal byte[] SealRow(ISealedRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        using IncrementalHash hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _rowKey);
        Append(hmac, RowDomain);
        Append(hmac, row.SealTable);
        row.WriteSealed(new SealWriter(hmac));
        return hmac.GetHashAndReset();
    }

    /// <summary>Whether the row still carries the seal Segel gave it when it last wrote it.</summary>
    internal bool RowIntact(ISealedRow row) =>
        row?.Seal is { Length: MacLength } seal && CryptographicOperations.FixedTimeEquals(seal, SealRow(row));

    internal static bool Verify(AuditRecord record, IncrementalHash hmac) =>
        record?.Mac is { Length: MacLength } mac && CryptographicOperations.FixedTimeEquals(mac, Mac(record, hmac));

    // Length-prefixed, with null distinct from empty, so no two different records encode alike.
    internal static void Append(IncrementalHash hmac, string? value)
    {
        Span<byte> length = stackalloc byte[4];
        if (value is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(length, -1);
            hmac.AppendData(length);
            return;
        }
        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = max > 1024 ? System.Buffers.ArrayPool<byte>.Shared.Rent(max) : null;
        Span<byte> buffer = rented ?? stackalloc byte[1024];
        int written = Encoding.UTF8.GetBytes(value, buffer);
        BinaryPrimitives.WriteInt32BigEndian(length, written);
        hmac.AppendData(length);
        hmac.AppendData(buffer[..written]);
        if (rented is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
