namespace Segel.Pki.Keys;

/// <summary>Creates and opens CA-side keys (CA, OCSP responder, TSA) in one place: software or HSM.</summary>
public interface IKeyStore
{
    /// <summary>Generates a key pair named <paramref name="label"/> and returns the record to persist.</summary>
    StoredKey Generate(string label, KeyAlgorithm algorithm);

    /// <summary>Opens a key for signing. Throws <see cref="KeyStoreException"/> when it cannot.</summary>
    ISigningKey Open(StoredKey key);
}
