using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace Segel.Pki.Certificates;

/// <summary>What a PKCS#12 holds: its certificates, and the one whose private key it carries with that key.</summary>
public sealed record Pkcs12Contents(IReadOnlyList<X509Certificate2> Certificates, X509Certificate2? Owner, AsymmetricAlgorithm? Key);

/// <summary>
/// Opens a PKCS#12 with its password deriving its keys side by side. A well-protected file costs three
/// password derivations (the integrity MAC, the certificate bag, the key bag: 100,000 iterations each in the
/// files Segel writes, about 50 ms apiece), which .NET's loader runs one after another; a signature at the
/// command line waits for them. Here .NET's loader checks the MAC and opens the certificates (with its limits
/// on iterations) while the key bag is opened beside it, and the key is used only once the MAC has held.
/// </summary>
public static class Pkcs12Import
{
    /// <exception cref="CryptographicException">Not a PKCS#12, the wrong password, or protection beyond the loader's limits.</exception>
    public static Pkcs12Contents Read(byte[] pfx, string password)
    {
        ArgumentNullException.ThrowIfNull(pfx);
        Task<AsymmetricAlgorithm?> key = Task.Run(() => ReadKey(pfx, password));
        X509Certificate2Collection certificates;
        try
        {
            certificates = X509CertificateLoader.LoadPkcs12Collection(pfx, password, X509KeyStorageFlags.DefaultKeySet,
                new Pkcs12LoaderLimits(Pkcs12LoaderLimits.Defaults) { IgnorePrivateKeys = true });
        }
        catch
        {
            key.ContinueWith(t => (t.IsCompletedSuccessfully ? t.Result : null)?.Dispose(), TaskScheduler.Default);
            throw;
        }
        AsymmetricAlgorithm? privateKey = key.GetAwaiter().GetResult();
        if (privateKey is null)
        {
            return new Pkcs12Contents([.. certificates], null, null);
        }
        byte[] publicKey = privateKey.ExportSubjectPublicKeyInfo();
        X509Certificate2? owner = certificates.FirstOrDefault(c => c.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(publicKey));
        if (owner is null)
        {
            privateKey.Dispose();
        }
        return new Pkcs12Contents([.. certificates.Where(c => c != owner)], owner, owner is null ? null : privateKey);
    }

    private static AsymmetricAlgorithm? ReadKey(byte[] pfx, string password)
    {
        try
        {
            return FirstKey(pfx, password);
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("The PKCS#12 key bag is malformed.", e);
        }
    }

    private static AsymmetricAlgorithm? FirstKey(byte[] pfx, string password)
    {
        Pkcs12Info info = Pkcs12Info.Decode(pfx, out _, skipCopy: true);
        foreach (Pkcs12SafeContents contents in info.AuthenticatedSafe.Where(c => c.ConfidentialityMode == Pkcs12ConfidentialityMode.None))
        {
            foreach (Pkcs12SafeBag bag in contents.GetBags())
            {
                Pkcs8PrivateKeyInfo? pkcs8 = bag switch
                {
                    Pkcs12ShroudedKeyBag shrouded => Pkcs8PrivateKeyInfo.DecryptAndDecode(password, Bounded(shrouded.EncryptedPkcs8PrivateKey), out _),
                    Pkcs12KeyBag plain => Pkcs8PrivateKeyInfo.Decode(plain.Pkcs8PrivateKey, out _, skipCopy: true),
                    _ => null,
                };
                if (pkcs8 is not null)
                {
                    return Import(pkcs8);
                }
            }
        }
        return null;
    }

    private static AsymmetricAlgorithm Import(Pkcs8PrivateKeyInfo pkcs8)
    {
        AsymmetricAlgorithm key = pkcs8.AlgorithmId.Value switch
        {
            "1.2.840.113549.1.1.1" => RSA.Create(),
            "1.2.840.10045.2.1" => ECDsa.Create(),
            _ => throw new CryptographicException("The PKCS#12 key is neither RSA nor ECDSA."),
        };
        byte[] encoded = pkcs8.Encode();
        try
        {
            key.ImportPkcs8PrivateKey(encoded, out _);
            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(encoded);
        }
    }

    /// <summary>The key bag's own iteration count held to the loader's limit, as the loader holds the rest.</summary>
    private static ReadOnlyMemory<byte> Bounded(ReadOnlyMemory<byte> encryptedPkcs8)
    {
        var algorithm = new AsnReader(encryptedPkcs8, AsnEncodingRules.BER).ReadSequence().ReadSequence();
        string oid = algorithm.ReadObjectIdentifier();
        AsnReader parameters = algorithm.ReadSequence();
        if (oid == "1.2.840.113549.1.5.13")
        {
            // PBES2: the iteration count is in PBKDF2's parameters, after the salt.
            AsnReader kdf = parameters.ReadSequence();
            _ = kdf.ReadObjectIdentifier();
            parameters = kdf.ReadSequence();
        }
        _ = parameters.ReadEncodedValue();
        int limit = Pkcs12LoaderLimits.Defaults.IndividualKdfIterationLimit ?? int.MaxValue;
        return parameters.TryReadInt32(out int iterations) && iterations > 0 && iterations <= limit
            ? encryptedPkcs8
            : throw new CryptographicException("The PKCS#12 key is protected with more password iterations than Segel accepts.");
    }
}
