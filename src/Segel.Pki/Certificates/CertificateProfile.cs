namespace Segel.Pki.Certificates;

/// <summary>What a certificate is for. The profile alone decides extensions; a CSR never does.</summary>
public enum CertificateProfile
{
    RootCa,
    IssuingCa,
    /// <summary>A civil servant: document signatures, e-mail protection, document encryption.</summary>
    Subscriber,
    /// <summary>An RA officer: everything a subscriber can do, plus TLS client authentication.</summary>
    RaOfficer,
    /// <summary>The delegated OCSP responder (id-kp-OCSPSigning, id-pkix-ocsp-nocheck).</summary>
    Ocsp,
    /// <summary>The RFC 3161 time-stamping unit (critical id-kp-timeStamping).</summary>
    Tsa,
    /// <summary>A TLS server certificate for the regency's own hosts (id-kp-serverAuth, DNS names in subjectAltName).</summary>
    TlsServer,
    /// <summary>
    /// A civil servant's separate encryption certificate (issue 23.5): key transport or key agreement only, beside a
    /// subscriber certificate that then only signs, so the key that can be escrowed never signs.
    /// </summary>
    Encryption,
    /// <summary>
    /// An institution's electronic seal (issue 23.2): an agency's or an application's, never a person's — the subject names
    /// the organisation and the seal, and carries no NIP; document signing only.
    /// </summary>
    Seal,
}

public static class CertificateProfiles
{
    public static string ToName(this CertificateProfile profile) => profile switch
    {
        CertificateProfile.RootCa => "root-ca",
        CertificateProfile.IssuingCa => "issuing-ca",
        CertificateProfile.Subscriber => "subscriber",
        CertificateProfile.RaOfficer => "ra-officer",
        CertificateProfile.Ocsp => "ocsp",
        CertificateProfile.Tsa => "tsa",
        CertificateProfile.TlsServer => "tls-server",
        CertificateProfile.Encryption => "encryption",
        CertificateProfile.Seal => "seal",
        _ => throw new ArgumentOutOfRangeException(nameof(profile)),
    };

    public static bool TryParse(string? name, out CertificateProfile profile)
    {
        foreach (CertificateProfile candidate in Enum.GetValues<CertificateProfile>())
        {
            if (string.Equals(candidate.ToName(), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                profile = candidate;
                return true;
            }
        }
        profile = default;
        return false;
    }

    public static bool IsCa(this CertificateProfile profile) =>
        profile is CertificateProfile.RootCa or CertificateProfile.IssuingCa;

    /// <summary>Profiles a person may hold; the others belong to Segel's own services.</summary>
    public static bool IsForPeople(this CertificateProfile profile) =>
        profile is CertificateProfile.Subscriber or CertificateProfile.RaOfficer or CertificateProfile.Encryption;
}
