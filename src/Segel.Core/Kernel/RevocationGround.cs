namespace Segel.Core.Kernel;

/// <summary>
/// The regulation's grounds for revoking a certificate, each with the one person who may ask on it and the RFC 5280 reason
/// the CRL and OCSP carry. Several grounds share a reason (a lost key and a leaked one are both <c>keyCompromise</c>: a lost
/// key may be found by someone else), so the ground is kept with the request beside the reason.
/// </summary>
public enum RevocationGround
{
    /// <summary>Pasal 17(1)(a): moved to another post or agency. affiliationChanged.</summary>
    Transfer = 1,
    /// <summary>Pasal 17(1)(b): retired. cessationOfOperation.</summary>
    Retirement = 2,
    /// <summary>The holder died; the agency head reports it. cessationOfOperation.</summary>
    Death = 3,
    /// <summary>Dismissed from the civil service. affiliationChanged: the certificate names an affiliation the holder no longer has.</summary>
    Dismissal = 4,
    /// <summary>Pasal 19(d): the holder suspects misuse. keyCompromise.</summary>
    Misuse = 5,
    /// <summary>Pasal 19(d): the certificate carries wrong information. affiliationChanged: the identity it names is not right.</summary>
    WrongInformation = 6,
    /// <summary>Pasal 19(d): the private key (its device or passphrase) is lost. keyCompromise.</summary>
    KeyLost = 7,
    /// <summary>Pasal 19(d): the private key leaked. keyCompromise.</summary>
    KeyLeaked = 8,
    /// <summary>Pasal 22: a sanction the RA imposes. privilegeWithdrawn.</summary>
    Sanction = 9,
    /// <summary>A compromise reported to the RA some other way; the officer revokes at once. keyCompromise.</summary>
    CompromiseReported = 10,
}
