namespace Segel.Pki.Keys;

/// <summary>
/// New keys go to one store; existing keys open from whichever store their URI scheme names. So a CA started
/// with software keys can move to an HSM: keys made from then on live on the token, older ones still open.
/// </summary>
public sealed class KeyStoreRouter(IKeyStore generateIn, IReadOnlyDictionary<string, IKeyStore> byScheme) : IKeyStore
{
    public StoredKey Generate(string label, KeyAlgorithm algorithm) => generateIn.Generate(label, algorithm);

    public ISigningKey Open(StoredKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        string scheme = key.Uri.Split(':', 2)[0];
        return byScheme.TryGetValue(scheme, out IKeyStore? store)
            ? store.Open(key)
            : throw new KeyStoreException($"Key {key.Uri} lives in a '{scheme}' key store, which is not configured here.");
    }
}
