using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace Segel.Pki.Certificates;

/// <summary>What a PKCS#12 holds: its certificates, and the one whose private key it carries with that key.</summary>
public sealed record Pkcs12Contents(IReadOnlyList<X509Certificate2> Certificates, X509Certificate2? Owner, AsymmetricAlgorithm? Key);

/// <summary>
/// Opens a PKCS#12 with its password, deriving its keys side by side. A well-protected file costs three
/// password derivations — the integrity MAC, the encrypted certificates, the key bag: 100,000 iterations each
/// in the files Segel writes, 40–90 ms apiece — which .NET's loader runs one after another while a signature
/// at the command line waits. Here the three run at once: .NET's loader checks the MAC (with its limits on
/// iterations), .NET's PKCS#12 classes open the certificates and the key bag (their iteration counts held to
/// the same limit first), and nothing is returned unless the MAC held.
/// </summary>
public static class Pkcs12Import
{
    private const string EncryptedData = "1.2.840.113549.1.7.6";
    private const string Pbes2 = "1.2.840.113549.1.5.13";

    /// <exception cref="CryptographicException">Not a PKCS#12, the wrong password, or protection beyond the loader's limits.</exception>
    public static Pkcs12Contents Read(byte[] pfx, string password)
    {
        ArgumentNullException.ThrowIfNull(pfx);
        Task<List<X509Certificate2>> encrypted = Task.Run(() => Guarded(() => EncryptedCertificates(pfx, password)));
        Task<AsymmetricAlgorithm?> key = Task.Run(() => Guarded(() => FirstKey(pfx, password)));
        X509Certificate2Collection plain;
        try
        {
            // The MAC, and any certificates kept unencrypted.
            plain = X509CertificateLoader.LoadPkcs12Collection(pfx, password, X509KeyStorageFlags.DefaultKeySet,
                new Pkcs12LoaderLimits(Pkcs12LoaderLimits.Defaults) { IgnorePrivateKeys = true, IgnoreEncryptedAuthSafes = true });
        }
        catch
        {
            _ = key.ContinueWith(t => t.Result?.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            _ = encrypted.ContinueWith(t => t.Exception, TaskScheduler.Default);
            throw;
        }
        List<X509Certificate2> certificates = [.. plain, .. encrypted.GetAwaiter().GetResult()];
        AsymmetricAlgorithm? privateKey = key.GetAwaiter().GetResult();
        if (privateKey is null)
        {
            return new Pkcs12Contents(certificates, null, null);
        }
        byte[] publicKey = privateKey.ExportSubjectPublicKeyInfo();
        X509Certificate2? owner = certificates.FirstOrDefault(c => c.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(publicKey));
        if (owner is null)
        {
            privateKey.Dispose();
        }
        return new Pkcs12Contents([.. certificates.Where(c => c != owner)], owner, owner is null ? null : privateKey);
    }

    private static T Guarded<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("The PKCS#12 is malformed.", e);
        }
    }

    private static List<X509Certificate2> EncryptedCertificates(byte[] pfx, string password)
    {
        foreach (ReadOnlyMemory<byte> algorithm in EncryptedSafeAlgorithms(pfx))
        {
            Bound(algorithm);
        }
        List<X509Certificate2> certificates = [];
        foreach (Pkcs12SafeContents contents in Pkcs12Info.Decode(pfx, out _, skipCopy: true).AuthenticatedSafe
            .Where(c => c.ConfidentialityMode == Pkcs12ConfidentialityMode.Password))
        {
            contents.Decrypt(password);
            certificates.AddRange(contents.GetBags().OfType<Pkcs12CertBag>().Where(b => b.IsX509Certificate).Select(b => b.GetCertificate()));
        }
        return certificates;
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
                    Pkcs12ShroudedKeyBag shrouded => Decrypt(shrouded, password),
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

    private static Pkcs8PrivateKeyInfo Decrypt(Pkcs12ShroudedKeyBag bag, string password)
    {
        // EncryptedPrivateKeyInfo: the algorithm, then the encrypted key.
        Bound(new AsnReader(bag.EncryptedPkcs8PrivateKey, AsnEncodingRules.BER).ReadSequence().ReadEncodedValue());
        return Pkcs8PrivateKeyInfo.DecryptAndDecode(password, bag.EncryptedPkcs8PrivateKey, out _);
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

    /// <summary>The algorithm identifier of each password-encrypted part (EncryptedData) of the PFX's authenticated safe.</summary>
    private static List<ReadOnlyMemory<byte>> EncryptedSafeAlgorithms(byte[] pfx)
    {
        var explicit0 = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        AsnReader pfxReader = new AsnReader(pfx, AsnEncodingRules.BER).ReadSequence();
        _ = pfxReader.ReadInteger();
        AsnReader authSafe = pfxReader.ReadSequence();
        _ = authSafe.ReadObjectIdentifier();
        AsnReader safes = new AsnReader(authSafe.ReadSequence(explicit0).ReadOctetString(), AsnEncodingRules.BER).ReadSequence();
        List<ReadOnlyMemory<byte>> algorithms = [];
        while (safes.HasData)
        {
            AsnReader contentInfo = safes.ReadSequence();
            if (contentInfo.ReadObjectIdentifier() == EncryptedData)
            {
                AsnReader encrypted = contentInfo.ReadSequence(explicit0).ReadSequence();
                _ = encrypted.ReadInteger();
                AsnReader encryptedContentInfo = encrypted.ReadSequence();
                _ = encryptedContentInfo.ReadObjectIdentifier();
                algorithms.Add(encryptedContentInfo.ReadEncodedValue());
            }
        }
        return algorithms;
    }

    /// <summary>A password-based encryption's iteration count held to the loader's limit, as the loader holds the MAC's.</summary>
    private static void Bound(ReadOnlyMemory<byte> algorithmIdentifier)
    {
        AsnReader algorithm = new AsnReader(algorithmIdentifier, AsnEncodingRules.BER).ReadSequence();
        string oid = algorithm.ReadObjectIdentifier();
        AsnReader parameters = algorithm.ReadSequence();
        if (oid == Pbes2)
        {
            // PBES2: the iteration count is in PBKDF2's parameters, after the salt.
            AsnReader kdf = parameters.ReadSequence();
            _ = kdf.ReadObjectIdentifier();
            parameters = kdf.ReadSequence();
        }
        _ = parameters.ReadEncodedValue();
        int limit = Pkcs12LoaderLimits.Defaults.IndividualKdfIterationLimit ?? int.MaxValue;
        if (!parameters.TryReadInt32(out int iterations) || iterations <= 0 || iterations > limit)
        {
            throw new CryptographicException("The PKCS#12 is protected with more password iterations than Segel accepts.");
        }
    }
}
