using Segel.Core.Audit;
using Segel.Core.Privacy;
using Segel.Pki.Keys;

namespace Segel.Core;

/// <summary>The keys Segel derives from its master key for its own records (not the CA keys, which live in a key store).</summary>
public sealed record SegelSecrets(AuditChain AuditChain, PersonalDataProtector PersonalData)
{
    public static SegelSecrets FromMasterKey(MasterKey masterKey) =>
        new(AuditChain.FromMasterKey(masterKey), new PersonalDataProtector(masterKey));
}
