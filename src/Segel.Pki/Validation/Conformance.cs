using System.Security.Cryptography.X509Certificates;

namespace Segel.Pki.Validation;

/// <summary>How closely the certificates of a path are held to RFC 5280's profile (§4), beyond its path algorithm (§6).</summary>
public enum ConformanceLevel
{
    /// <summary>
    /// The profile's MUSTs for the certificates themselves: what a CA that follows RFC 5280 never issues (see
    /// <see cref="Conformance"/>). The default for whatever Segel is shown from outside.
    /// </summary>
    Rfc5280,

    /// <summary>The path algorithm alone, as NIST's PKITS expects (one of its valid tests has a CA whose basicConstraints is not critical).</summary>
    PathAlgorithm,
}

/// <summary>
/// RFC 5280's rules for the certificates of a path that its path validation algorithm (§6.1) does not itself check,
/// but that a conforming CA always follows: held to the letter, because a certificate that breaks them was made by
/// software or people who should not be trusted with the regency's signatures. Each certificate below the trust
/// anchor (the anchor is trusted by configuration, not by its contents) is checked:
/// <list type="bullet">
/// <item>its serial number is not zero and has at most 20 octets (§4.1.2.2; a negative one is refused at every level);</item>
/// <item>a CA certificate has a critical basicConstraints with cA set (§4.2.1.9) and a subject key identifier (§4.2.1.2);</item>
/// <item>every certificate but a self-signed one names its issuer's key (authority key identifier, §4.2.1.1);</item>
/// <item>an end-entity certificate neither asserts keyCertSign (§4.2.1.3) nor carries name constraints (§4.2.1.10);</item>
/// <item>the path has at most <see cref="MaxPathLength"/> certificates, anchor included.</item>
/// </list>
/// pathLenConstraint, name constraints and key usage of the CAs are the path algorithm's, checked while the path is built.
/// </summary>
public static class Conformance
{
    /// <summary>The longest path followed, anchor included: a regency's hierarchy has three or four; more is a loop or an attack on the builder.</summary>
    public const int MaxPathLength = 8;

    private const string BasicConstraints = "2.5.29.19";
    private const string SubjectKeyIdentifier = "2.5.29.14";
    private const string AuthorityKeyIdentifier = "2.5.29.35";
    private const string NameConstraints = "2.5.29.30";

    /// <summary>The first rule the path (leaf first, anchor last) breaks, naming the certificate; null when it breaks none.</summary>
    public static string? Problem(IReadOnlyList<X509Certificate2> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Count > MaxPathLength)
        {
            return $"the path has {path.Count} certificates; at most {MaxPathLength} are followed";
        }
        for (int i = 0; i < path.Count - 1; i++)
        {
            if (Problem(path[i], mustBeCa: i > 0) is { } problem)
            {
                return $"{path[i].GetNameInfo(X509NameType.SimpleName, false)}: {problem}";
            }
        }
        return null;
    }

    /// <summary>The first rule one certificate breaks; <paramref name="mustBeCa"/> when it issued another certificate of the path.</summary>
    public static string? Problem(X509Certificate2 certificate, bool mustBeCa)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        // A negative one is refused while the path is built, whatever the level.
        ReadOnlySpan<byte> serial = certificate.SerialNumberBytes.Span;
        if (!serial.ContainsAnyExcept((byte)0))
        {
            return "the serial number is zero (RFC 5280 §4.1.2.2)";
        }
        // One leading zero octet keeps a positive number positive; it does not count against the 20 octets.
        int octets = serial.Length > 1 && serial[0] == 0 ? serial.Length - 1 : serial.Length;
        if (octets > 20)
        {
            return $"the serial number has {octets} octets, more than 20 (RFC 5280 §4.1.2.2)";
        }
        var constraints = certificate.Extensions[BasicConstraints] as X509BasicConstraintsExtension;
        bool ca = mustBeCa || constraints?.CertificateAuthority == true;
        bool selfSigned = certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
        if (ca)
        {
            if (constraints is not { CertificateAuthority: true })
            {
                return "a CA certificate without basicConstraints cA (RFC 5280 §4.2.1.9)";
            }
            if (!constraints.Critical)
            {
                return "a CA certificate whose basicConstraints is not critical (RFC 5280 §4.2.1.9)";
            }
            if (certificate.Extensions[SubjectKeyIdentifier] is null)
            {
                return "a CA certificate without a subject key identifier (RFC 5280 §4.2.1.2)";
            }
        }
        else
        {
            if (certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } usage && usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign))
            {
                return "an end-entity certificate asserts keyCertSign (RFC 5280 §4.2.1.3)";
            }
            if (certificate.Extensions[NameConstraints] is not null)
            {
                return "an end-entity certificate carries name constraints (RFC 5280 §4.2.1.10)";
            }
        }
        if (!selfSigned && certificate.Extensions[AuthorityKeyIdentifier] is null)
        {
            return "no authority key identifier (RFC 5280 §4.2.1.1)";
        }
        return null;
    }
}
