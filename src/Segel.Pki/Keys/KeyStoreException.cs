namespace Segel.Pki.Keys;

/// <summary>A key could not be created, unsealed or opened; the message says which and why, never the key.</summary>
public sealed class KeyStoreException : Exception
{
    public KeyStoreException(string message) : base(message) { }

    public KeyStoreException(string message, Exception inner) : base(message, inner) { }

    public KeyStoreException() { }
}
