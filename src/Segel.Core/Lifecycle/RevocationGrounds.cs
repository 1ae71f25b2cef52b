using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Pki.Revocation;
using Segel.Texts;

namespace Segel.Core.Lifecycle;

/// <summary>Who may ask on which <see cref="RevocationGround"/>, and the RFC 5280 reason each one is revoked with.</summary>
public static class RevocationGrounds
{
    /// <summary>What an agency head asks for with a signed letter (Pasal 17(2)); an RA officer decides.</summary>
    public static readonly IReadOnlyList<RevocationGround> Agency = [RevocationGround.Transfer, RevocationGround.Retirement, RevocationGround.Death, RevocationGround.Dismissal];

    /// <summary>What a holder reports about their own certificate (Pasal 19(d)); effective at once, reviewed afterwards.</summary>
    public static readonly IReadOnlyList<RevocationGround> Holder = [RevocationGround.Misuse, RevocationGround.WrongInformation, RevocationGround.KeyLost, RevocationGround.KeyLeaked];

    /// <summary>What an RA officer revokes on at once, signed with their passphrase.</summary>
    public static readonly IReadOnlyList<RevocationGround> Officer = [RevocationGround.Sanction, RevocationGround.CompromiseReported];

    public static RevocationReason Reason(this RevocationGround ground) => ground switch
    {
        RevocationGround.Transfer or RevocationGround.Dismissal or RevocationGround.WrongInformation => RevocationReason.AffiliationChanged,
        RevocationGround.Retirement or RevocationGround.Death => RevocationReason.CessationOfOperation,
        RevocationGround.Sanction => RevocationReason.PrivilegeWithdrawn,
        _ => RevocationReason.KeyCompromise,
    };

    public static string ToName(this RevocationGround ground) => ground switch
    {
        RevocationGround.Transfer => "transfer",
        RevocationGround.Retirement => "retirement",
        RevocationGround.Death => "death",
        RevocationGround.Dismissal => "dismissal",
        RevocationGround.Misuse => "misuse",
        RevocationGround.WrongInformation => "wrong-information",
        RevocationGround.KeyLost => "key-lost",
        RevocationGround.KeyLeaked => "key-leaked",
        RevocationGround.Sanction => "sanction",
        _ => "compromise-reported",
    };

    public static IEnumerable<RevocationGround> All => Enum.GetValues<RevocationGround>();

    /// <summary>
    /// The ground of a request: the one named, or — for callers that still send only an RFC reason — the ground that reason
    /// meant for this caller before grounds existed. A ground and a reason that disagree are refused.
    /// </summary>
    public static RevocationGround Resolve(string? ground, string? reason, bool ownCertificate)
    {
        bool hasReason = !string.IsNullOrWhiteSpace(reason);
        RevocationReason parsed = default;
        if (hasReason && !RevocationReasons.TryParse(reason, out parsed))
        {
            throw SegelException.Invalid("reason", Localized.Of("Error.UnknownRevocationReasonGiveGround", reason, Names));
        }
        if (!string.IsNullOrWhiteSpace(ground))
        {
            string wanted = ground.Trim().ToLowerInvariant();
            RevocationGround found = All.Where(g => g.ToName() == wanted).Select(g => (RevocationGround?)g).SingleOrDefault()
                ?? throw SegelException.Invalid("ground", Localized.Of("Error.UnknownRevocationGroundUse", ground, Names));
            if (hasReason && parsed != found.Reason())
            {
                throw SegelException.Invalid("reason", Localized.Of("Error.GroundRevokedReasonNotLeave", found.ToName(), found.Reason().ToRfcName(), parsed.ToRfcName()));
            }
            return found;
        }
        if (!hasReason)
        {
            throw SegelException.Invalid("ground", Localized.Of("Error.SayWhyCertificateRevoked", Names));
        }
        return parsed switch
        {
            RevocationReason.AffiliationChanged => RevocationGround.Transfer,
            RevocationReason.CessationOfOperation => RevocationGround.Retirement,
            RevocationReason.PrivilegeWithdrawn => RevocationGround.Sanction,
            RevocationReason.KeyCompromise => ownCertificate ? RevocationGround.Misuse : RevocationGround.CompromiseReported,
            _ => throw SegelException.Invalid("reason", Localized.Of("Error.RevocationReasonNotRegulationNames", parsed.ToRfcName(), Names)),
        };
    }

    private static string Names => string.Join(", ", All.Select(g => g.ToName()));
}
