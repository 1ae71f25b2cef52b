using Segel.Core.Ca;
using Segel.Core.Configuration;
using Segel.Core.Custody;
using Segel.Core.Lifecycle;
using Segel.Core.Privacy;
using Segel.Core.Storage;

namespace Segel.Core.Signing;

/// <summary>
/// What remote signing reaches for, named one by one: the holder's record and key, the CA chain, the time-stamp
/// authority and revocation data for B-LT. Internal, so it never turns into a way for an adapter to reach them.
/// </summary>
internal sealed record SigningParts(
    SegelDatabase Database,
    AuthorityRing Ring,
    CertificateQueries Queries,
    HolderKeyVault HolderKeys,
    HolderStatuses HolderStatuses,
    TimeStamping TimeStamps,
    LocalRevocation Revocation,
    PdfWorkGate PdfWork,
    PersonalDataProtector PersonalData,
    LimitOptions Limits,
    string PublicBaseUrl,
    TimeProvider Time);
