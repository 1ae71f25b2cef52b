namespace Segel.Pki.Keys;

/// <summary>
/// What the database keeps about a CA-side key: where it lives and, for software keys, the private key
/// sealed under the master key. A PKCS#11 key has no sealed form: the HSM keeps it.
/// </summary>
public sealed record StoredKey(string Uri, KeyAlgorithm Algorithm, byte[]? SealedPrivateKey);
