using Segel.Core.Privacy;
using Segel.Core.Storage;
using Segel.Pki.Keys;

namespace Segel.Core;

/// <summary>The keys Segel derives from its master key for its own records (not the CA keys, which live in a key store).</summary>
/// <param name="HolderKeyPepper">The server's half of every holder key's sealing key; the holder's passphrase is the other half.</param>
/// <param name="HolderKeyCodeSeal">Seals the copy of a holder's key that an e-mailed one-time code unlocks (only when the holder turned that on).</param>
/// <param name="OneTimeCodeMac">Keys the hash under which one-time codes are stored, so the database alone cannot test guesses.</param>
public sealed record SegelSecrets(AuditChain AuditChain, PersonalDataProtector PersonalData, byte[] HolderKeyPepper, byte[] HolderKeyCodeSeal, byte[] OneTimeCodeMac)
{
    public static SegelSecrets FromMasterKey(MasterKey masterKey)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        return new(AuditChain.FromMasterKey(masterKey), new PersonalDataProtector(masterKey), masterKey.Derive("segel/holder-key-pepper/v1"),
            masterKey.Derive("segel/holder-key-code-seal/v1"), masterKey.Derive("segel/one-time-code-mac/v1"));
    }
}
