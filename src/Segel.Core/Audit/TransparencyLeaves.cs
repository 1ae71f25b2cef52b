using System.Buffers.Binary;
using System.Security.Cryptography;
using Segel.Core.Storage;
using Segel.Pki.Transparency;

namespace Segel.Core.Audit;

/// <summary>
/// Adds leaves to the public transparency log in the caller's unit of work, beside the change they record, so
/// no issuance, revocation or signature commits without its leaf. A leaf holds hashes only — of the
/// certificate (public anyway) and of the signed PDF — never a name, NIP or signature id:
/// <code>
/// version (1) | kind (1: issued, 2: revoked, 3: signed) | time, ms since 1970 (8, big-endian)
///   | SHA-256 of the certificate (32) | kind 2: RFC 5280 reason code (1) | kind 3: SHA-256 of the signed PDF (32)
/// </code>
/// Whoever holds a certificate or a signed PDF can hash it and find its leaf; nobody learns more from the log.
/// </summary>
internal static class TransparencyLeaves
{
    public const byte Version = 1;
    public const byte IssuedKind = 1;
    public const byte RevokedKind = 2;
    public const byte SignedKind = 3;
    public const string Issued = "issued";
    public const string Revoked = "revoked";
    public const string Signed = "signed";

    public static void RecordIssued(SegelDbContext db, CertificateRecord certificate, DateTimeOffset at) =>
        Add(db, Issued, certificate.SerialHex, at, Leaf(IssuedKind, at, certificate.Der, []));

    public static void RecordRevoked(SegelDbContext db, string serialHex, byte[] certificateDer, int reason, DateTimeOffset at) =>
        Add(db, Revoked, serialHex, at, Leaf(RevokedKind, at, certificateDer, [(byte)reason]));

    public static void RecordSigned(SegelDbContext db, string signatureId, byte[] certificateDer, byte[] signedPdfSha256, DateTimeOffset at) =>
        Add(db, Signed, "signature:" + signatureId, at, Leaf(SignedKind, at, certificateDer, signedPdfSha256));

    /// <summary>The leaf's kind, time and certificate hash, read back (for checks against the tables).</summary>
    public static (byte Kind, DateTimeOffset At, byte[] CertificateSha256) Read(byte[] leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        if (leaf.Length < 42 || leaf[0] != Version)
        {
            throw new FormatException("Not a version 1 transparency leaf.");
        }
        return (leaf[1], DateTimeOffset.FromUnixTimeMilliseconds((long)BinaryPrimitives.ReadUInt64BigEndian(leaf.AsSpan(2))), leaf[10..42]);
    }

    private static byte[] Leaf(byte kind, DateTimeOffset at, byte[] certificateDer, ReadOnlySpan<byte> tail)
    {
        byte[] leaf = new byte[1 + 1 + 8 + 32 + tail.Length];
        leaf[0] = Version;
        leaf[1] = kind;
        BinaryPrimitives.WriteUInt64BigEndian(leaf.AsSpan(2), (ulong)at.ToUnixTimeMilliseconds());
        SHA256.HashData(certificateDer, leaf.AsSpan(10, 32));
        tail.CopyTo(leaf.AsSpan(42));
        return leaf;
    }

    private static void Add(SegelDbContext db, string kind, string subject, DateTimeOffset at, byte[] leaf)
    {
        ArgumentNullException.ThrowIfNull(db);
        db.LogEntries.Add(new LogEntryRecord
        {
            Kind = kind,
            Subject = subject,
            At = DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds()),
            LeafData = leaf,
            LeafHash = MerkleTree.HashLeaf(leaf),
        });
    }
}
