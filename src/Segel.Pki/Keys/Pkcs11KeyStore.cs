using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Net.Pkcs11Interop.HighLevelAPI.Factories;

namespace Segel.Pki.Keys;

/// <summary>Where the HSM is: the PKCS#11 module, the token's label and the user PIN.</summary>
public sealed record Pkcs11Options(string Library, string Token, string Pin);

/// <summary>
/// CA-side keys in an HSM over PKCS#11 (Pkcs11Interop): generated on the token as sensitive, non-extractable
/// private keys, found again by their CKA_ID, used only through C_Sign. The database keeps a
/// <c>pkcs11:</c> URI (RFC 7512) and no key material. Tested against SoftHSM2.
/// </summary>
public sealed class Pkcs11KeyStore : IKeyStore, IDisposable
{
    public const string Scheme = "pkcs11";
    private readonly IPkcs11Library _library;
    private readonly ISlot _slot;
    private readonly Pkcs11Options _options;
    private readonly ISession _loginSession;

    static Pkcs11KeyStore()
    {
        // Pkcs11Interop imports dlopen from "libdl"; glibc 2.34+ (Debian 12) ships only libdl.so.2 unless the
        // -dev package is installed. Its maintainer's advice is to map the name (Pkcs11Interop issue #239).
        if (OperatingSystem.IsLinux())
        {
            System.Runtime.InteropServices.NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, (name, assembly, path) =>
                name == "libdl" && System.Runtime.InteropServices.NativeLibrary.TryLoad("libdl.so.2", assembly, path, out IntPtr handle) ? handle : IntPtr.Zero);
        }
    }

    public Pkcs11KeyStore(Pkcs11Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _library = Load(options.Library);
        _slot = _library.GetSlotList(SlotsType.WithTokenPresent).FirstOrDefault(s => s.GetTokenInfo().Label.Trim() == options.Token)
            ?? throw new KeyStoreException($"No token labelled '{options.Token}' is present in {options.Library}.");
        // PKCS#11 logins belong to the application, not the session: one logged-in session keeps every other one logged in.
        _loginSession = _slot.OpenSession(SessionType.ReadWrite);
        try
        {
            _loginSession.Login(CKU.CKU_USER, options.Pin);
        }
        catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
        {
            // Another store in this process logged in already.
        }
        catch (Pkcs11Exception e)
        {
            _loginSession.Dispose();
            throw new KeyStoreException($"The PIN for token '{options.Token}' was refused ({e.RV}).", e);
        }
    }

    // A module is initialised once per process (C_Initialize twice fails, C_Finalize ends every session), so
    // every store on the same module shares it, for the life of the process.
    private static readonly Dictionary<string, IPkcs11Library> Libraries = new(StringComparer.Ordinal);

    private static IPkcs11Library Load(string path)
    {
        lock (Libraries)
        {
            if (Libraries.TryGetValue(path, out IPkcs11Library? loaded))
            {
                return loaded;
            }
            var factories = new Pkcs11InteropFactories();
            try
            {
                IPkcs11Library library = factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, path, AppType.MultiThreaded);
                Libraries[path] = library;
                return library;
            }
            catch (Exception e) when (e is UnmanagedException or Pkcs11Exception or DllNotFoundException or IOException)
            {
                throw new KeyStoreException($"The PKCS#11 module {path} could not be loaded: {e.Message}", e);
            }
        }
    }

    public StoredKey Generate(string label, KeyAlgorithm algorithm)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        byte[] id = RandomNumberGenerator.GetBytes(16);
        using ISession session = _slot.OpenSession(SessionType.ReadWrite);
        IObjectAttributeFactory a = session.Factories.ObjectAttributeFactory;
        var publicTemplate = new List<IObjectAttribute>
        {
            a.Create(CKA.CKA_TOKEN, true),
            a.Create(CKA.CKA_PRIVATE, false),
            a.Create(CKA.CKA_LABEL, label),
            a.Create(CKA.CKA_ID, id),
            a.Create(CKA.CKA_VERIFY, true),
        };
        var privateTemplate = new List<IObjectAttribute>
        {
            a.Create(CKA.CKA_TOKEN, true),
            a.Create(CKA.CKA_PRIVATE, true),
            a.Create(CKA.CKA_LABEL, label),
            a.Create(CKA.CKA_ID, id),
            a.Create(CKA.CKA_SENSITIVE, true),
            a.Create(CKA.CKA_EXTRACTABLE, false),
            a.Create(CKA.CKA_SIGN, true),
        };
        CKM mechanism;
        if (algorithm.IsRsa())
        {
            publicTemplate.Add(a.Create(CKA.CKA_MODULUS_BITS, (ulong)algorithm.RsaKeySize()));
            publicTemplate.Add(a.Create(CKA.CKA_PUBLIC_EXPONENT, new byte[] { 0x01, 0x00, 0x01 }));
            mechanism = CKM.CKM_RSA_PKCS_KEY_PAIR_GEN;
        }
        else
        {
            publicTemplate.Add(a.Create(CKA.CKA_EC_PARAMS, CurveOid(algorithm)));
            mechanism = CKM.CKM_EC_KEY_PAIR_GEN;
        }
        try
        {
            session.GenerateKeyPair(session.Factories.MechanismFactory.Create(mechanism), publicTemplate, privateTemplate, out _, out _);
        }
        catch (Pkcs11Exception e)
        {
            throw new KeyStoreException($"Token '{_options.Token}' could not generate a {algorithm} key ({e.RV}).", e);
        }
        return new StoredKey($"{Scheme}:token={Uri.EscapeDataString(_options.Token)};object={Uri.EscapeDataString(label)};id={Hex(id)}", algorithm, null);
    }

    /// <summary>
    /// The master key kept on the token as a 256-bit generic secret (sensitive, never extractable), made on first use
    /// when <paramref name="create"/>: each purpose key is HMAC-SHA256(master, purpose) computed on the token, so the
    /// master secret itself never reaches this process or any file.
    /// </summary>
    public MasterKey MasterKey(string label, bool create)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        IObjectHandle handle;
        using (ISession session = _slot.OpenSession(SessionType.ReadWrite))
        {
            IObjectAttributeFactory a = session.Factories.ObjectAttributeFactory;
            List<IObjectHandle> found = session.FindAllObjects([a.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY), a.Create(CKA.CKA_LABEL, label)]);
            if (found.Count > 1)
            {
                throw new KeyStoreException($"Token '{_options.Token}' holds {found.Count} secret keys labelled '{label}'; Segel cannot tell which is the master key.");
            }
            if (found.Count == 1)
            {
                handle = found[0];
                List<IObjectAttribute> flags = session.GetAttributeValue(handle, [CKA.CKA_SENSITIVE, CKA.CKA_EXTRACTABLE]);
                if (!flags[0].GetValueAsBool() || flags[1].GetValueAsBool())
                {
                    // A master key that can be read out of the token is no safer than a file, and would pretend otherwise.
                    throw new KeyStoreException($"The secret key '{label}' on token '{_options.Token}' is extractable or not sensitive; Segel will not use it as the master key.");
                }
            }
            else if (!create)
            {
                throw new KeyStoreException($"Token '{_options.Token}' holds no master key labelled '{label}'. Without it nothing Segel sealed can be opened.");
            }
            else
            {
                handle = session.GenerateKey(session.Factories.MechanismFactory.Create(CKM.CKM_GENERIC_SECRET_KEY_GEN),
                [
                    a.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY),
                    a.Create(CKA.CKA_KEY_TYPE, CKK.CKK_GENERIC_SECRET),
                    a.Create(CKA.CKA_VALUE_LEN, (ulong)Keys.MasterKey.Length),
                    a.Create(CKA.CKA_TOKEN, true),
                    a.Create(CKA.CKA_PRIVATE, true),
                    a.Create(CKA.CKA_LABEL, label),
                    a.Create(CKA.CKA_SENSITIVE, true),
                    a.Create(CKA.CKA_EXTRACTABLE, false),
                    a.Create(CKA.CKA_SIGN, true),
                    a.Create(CKA.CKA_VERIFY, true),
                ]);
            }
        }
        return Keys.MasterKey.HeldBy(purpose =>
        {
            using ISession session = _slot.OpenSession(SessionType.ReadOnly);
            return session.Sign(session.Factories.MechanismFactory.Create(CKM.CKM_SHA256_HMAC), handle, System.Text.Encoding.UTF8.GetBytes(purpose));
        });
    }

    public ISigningKey Open(StoredKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        byte[] id = IdOf(key.Uri);
        ISession session = _slot.OpenSession(SessionType.ReadOnly);
        try
        {
            IObjectHandle privateKey = Find(session, CKO.CKO_PRIVATE_KEY, id) ?? throw new KeyStoreException($"Key {key.Uri} is not on token '{_options.Token}'.");
            IObjectHandle publicKey = Find(session, CKO.CKO_PUBLIC_KEY, id) ?? throw new KeyStoreException($"The public half of {key.Uri} is not on token '{_options.Token}'.");
            return new Pkcs11SigningKey(key.Uri, key.Algorithm, ReadPublicKey(session, publicKey, key.Algorithm), session, privateKey);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static IObjectHandle? Find(ISession session, CKO kind, byte[] id)
    {
        IObjectAttributeFactory a = session.Factories.ObjectAttributeFactory;
        return session.FindAllObjects([a.Create(CKA.CKA_CLASS, kind), a.Create(CKA.CKA_ID, id)]).FirstOrDefault();
    }

    private static PublicKey ReadPublicKey(ISession session, IObjectHandle handle, KeyAlgorithm algorithm)
    {
        if (algorithm.IsRsa())
        {
            List<IObjectAttribute> values = session.GetAttributeValue(handle, [CKA.CKA_MODULUS, CKA.CKA_PUBLIC_EXPONENT]);
            using var rsa = RSA.Create();
            rsa.ImportParameters(new RSAParameters { Modulus = values[0].GetValueAsByteArray(), Exponent = values[1].GetValueAsByteArray() });
            return new PublicKey(rsa);
        }
        byte[] point = session.GetAttributeValue(handle, [CKA.CKA_EC_POINT])[0].GetValueAsByteArray();
        // CKA_EC_POINT is the DER OCTET STRING of the uncompressed point (some modules give the raw point).
        int expected = algorithm == KeyAlgorithm.EcdsaP384 ? 97 : 65;
        byte[] raw = point.Length == expected ? point : new AsnReader(point, AsnEncodingRules.DER).ReadOctetString();
        int size = (raw.Length - 1) / 2;
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = algorithm.Curve(),
            Q = new ECPoint { X = raw[1..(1 + size)], Y = raw[(1 + size)..] },
        });
        return new PublicKey(ecdsa);
    }

    private static byte[] CurveOid(KeyAlgorithm algorithm)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(algorithm == KeyAlgorithm.EcdsaP384 ? "1.3.132.0.34" : "1.2.840.10045.3.1.7");
        return writer.Encode();
    }

    private static byte[] IdOf(string uri)
    {
        string? id = uri.StartsWith(Scheme + ":", StringComparison.Ordinal)
            ? uri[(Scheme.Length + 1)..].Split(';').Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && p[0] == "id").Select(p => p[1]).FirstOrDefault()
            : null;
        return id is not null ? Convert.FromHexString(id) : throw new KeyStoreException($"Key {uri} is not a PKCS#11 key of this store.");
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    public void Dispose() => _loginSession.Dispose();
}

/// <summary>
/// A private key on a token: data is hashed by .NET and the digest signed on the token (PKCS#1 v1.5 DigestInfo for
/// RSA; raw r‖s from CKM_ECDSA, re-encoded as the DER SEQUENCE X.509 carries). One session per key, used under a lock.
/// </summary>
internal sealed class Pkcs11SigningKey(string uri, KeyAlgorithm algorithm, PublicKey publicKey, ISession session, IObjectHandle handle) : ISigningKey
{
    private readonly Lock _lock = new();

    public string Uri { get; } = uri;

    public KeyAlgorithm Algorithm { get; } = algorithm;

    public PublicKey PublicKey { get; } = publicKey;

    public byte[] SignData(ReadOnlySpan<byte> data)
    {
        HashAlgorithmName hash = Algorithm.Hash();
        byte[] digest = hash == HashAlgorithmName.SHA384 ? SHA384.HashData(data) : SHA256.HashData(data);
        lock (_lock)
        {
            try
            {
                if (Algorithm.IsRsa())
                {
                    byte[] prefix = hash == HashAlgorithmName.SHA384 ? Sha384Prefix : Sha256Prefix;
                    return session.Sign(session.Factories.MechanismFactory.Create(CKM.CKM_RSA_PKCS), handle, [.. prefix, .. digest]);
                }
                byte[] raw = session.Sign(session.Factories.MechanismFactory.Create(CKM.CKM_ECDSA), handle, digest);
                int half = raw.Length / 2;
                var writer = new AsnWriter(AsnEncodingRules.DER);
                using (writer.PushSequence())
                {
                    writer.WriteIntegerUnsigned(Minimal(raw.AsSpan(0, half)));
                    writer.WriteIntegerUnsigned(Minimal(raw.AsSpan(half)));
                }
                return writer.Encode();
            }
            catch (Pkcs11Exception e)
            {
                throw new KeyStoreException($"The token refused to sign with {Uri} ({e.RV}).", e);
            }
        }
    }

    /// <summary>r and s are fixed-width from the token; DER wants them without leading zero bytes (one time in 256 there is one).</summary>
    private static ReadOnlySpan<byte> Minimal(ReadOnlySpan<byte> value)
    {
        int start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }
        return value[start..];
    }

    // DigestInfo headers (RFC 8017 §9.2 note 1).
    private static readonly byte[] Sha256Prefix = Convert.FromHexString("3031300d060960864801650304020105000420");
    private static readonly byte[] Sha384Prefix = Convert.FromHexString("3041300d060960864801650304020205000430");

    public void Dispose() => session.Dispose();
}
