using System.Buffers.Binary;
using System.Globalization;
using Segel.Pki.Ocsp;

namespace Segel.Core.Ca;

/// <summary>
/// Every serial one issuer has issued, held in memory for the OCSP responder: a sorted array of 128-bit serials (16 bytes
/// each, 16 MB for a million) and the revoked ones beside it. Immutable: a reload builds a new one. Segel's serials are 16
/// octets (<see cref="Pki.Certificates.SerialNumber"/>); a longer one (an imported certificate) is not held, and asking for
/// it finds nothing, which sends the responder to the database.
/// </summary>
internal sealed class StatusTable
{
    private readonly UInt128[] _issued;
    private readonly Dictionary<UInt128, CertificateStatus> _revoked;

    private StatusTable(UInt128[] issued, Dictionary<UInt128, CertificateStatus> revoked)
    {
        _issued = issued;
        _revoked = revoked;
    }

    public int Issued => _issued.Length;

    public int Revoked => _revoked.Count;

    /// <summary>The status of a serial this table holds; false for one it does not (never issued, issued since, or too long).</summary>
    public bool TryGet(ReadOnlySpan<byte> serial, out CertificateStatus status)
    {
        if (TryKey(serial, out UInt128 key))
        {
            if (_revoked.TryGetValue(key, out status))
            {
                return true;
            }
            if (Array.BinarySearch(_issued, key) >= 0)
            {
                status = CertificateStatus.Good;
                return true;
            }
        }
        status = default;
        return false;
    }

    /// <summary>A serial's big-endian octets as a number; false when it does not fit 128 bits.</summary>
    public static bool TryKey(ReadOnlySpan<byte> serial, out UInt128 key)
    {
        while (serial.Length > 1 && serial[0] == 0)
        {
            serial = serial[1..];
        }
        if (serial.Length > 16)
        {
            key = default;
            return false;
        }
        Span<byte> padded = stackalloc byte[16];
        padded.Clear();
        serial.CopyTo(padded[(16 - serial.Length)..]);
        key = BinaryPrimitives.ReadUInt128BigEndian(padded);
        return true;
    }

    /// <summary>A serial as the database keeps it (normalised hex); false when it does not fit 128 bits.</summary>
    public static bool TryKey(string serialHex, out UInt128 key)
    {
        ArgumentNullException.ThrowIfNull(serialHex);
        key = default;
        return serialHex.Length is > 0 and <= 32 &&
            UInt128.TryParse(serialHex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out key);
    }

    /// <summary>Collects one issuer's rows, then <see cref="Build"/>s the table.</summary>
    public sealed class Builder
    {
        private readonly List<UInt128> _issued = [];
        private readonly Dictionary<UInt128, CertificateStatus> _revoked = [];

        public void Add(string serialHex, CertificateStatus status)
        {
            if (!TryKey(serialHex, out UInt128 key))
            {
                return;
            }
            _issued.Add(key);
            if (status.State == CertificateState.Revoked)
            {
                _revoked[key] = status;
            }
        }

        /// <summary>A revocation the published CRL lists outranks the row (see <see cref="PublishedRevocations"/>).</summary>
        public void AddPublished(string serialHex, CertificateStatus status)
        {
            if (TryKey(serialHex, out UInt128 key))
            {
                _revoked[key] = status;
            }
        }

        public StatusTable Build()
        {
            UInt128[] issued = [.. _issued];
            Array.Sort(issued);
            return new StatusTable(issued, _revoked);
        }
    }
}
