using Segel.Core.Configuration;
using Segel.Core.Errors;
using Segel.Pki.Keys;

namespace Segel.Server.Hosting;

/// <summary>
/// The key store configuration asks for — software keys sealed under the master key, or an HSM over PKCS#11 — and
/// the master key: from the data folder or environment, or (Ca:Pkcs11MasterKey) held by the HSM itself.
/// </summary>
public static class KeyStores
{
    /// <summary>The label of the master key on the token.</summary>
    public const string MasterKeyLabel = "segel-master-key";

    public static (IKeyStore Store, MasterKey MasterKey) Open(CaOptions options, Func<MasterKey> softwareMasterKey, bool create)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(softwareMasterKey);
        if (string.IsNullOrWhiteSpace(options.Pkcs11Library))
        {
            if (options.Pkcs11MasterKey)
            {
                throw new SegelException(ErrorKind.Invalid, $"Ca:Pkcs11MasterKey needs an HSM: set Ca:Pkcs11Library, Ca:Pkcs11Token and the PIN.", "Ca:Pkcs11MasterKey");
            }
            MasterKey inMemory = softwareMasterKey();
            return (new SoftwareKeyStore(inMemory), inMemory);
        }
        Pkcs11KeyStore hsm = OpenHsm(options);
        MasterKey masterKey;
        try
        {
            masterKey = options.Pkcs11MasterKey ? hsm.MasterKey(MasterKeyLabel, create) : softwareMasterKey();
        }
        catch (KeyStoreException e)
        {
            throw new SegelException(ErrorKind.NotReady, $"{e.Message}", "Ca:Pkcs11MasterKey");
        }
        var software = new SoftwareKeyStore(masterKey);
        return (new KeyStoreRouter(hsm, new Dictionary<string, IKeyStore>(StringComparer.Ordinal)
        {
            [Pkcs11KeyStore.Scheme] = hsm,
            [SoftwareKeyStore.Scheme] = software,
        }), masterKey);
    }

    private static Pkcs11KeyStore OpenHsm(CaOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Pkcs11Token))
        {
            throw new SegelException(ErrorKind.Invalid, $"Ca:Pkcs11Library is set, so Ca:Pkcs11Token must name the token.", "Ca:Pkcs11Token");
        }
        string? pin = Environment.GetEnvironmentVariable("SEGEL_PKCS11_PIN");
        if (pin is null && options.Pkcs11PinFile is { Length: > 0 } file)
        {
            if (!File.Exists(file))
            {
                throw new SegelException(ErrorKind.Invalid, $"The PIN file {file} does not exist.", "Ca:Pkcs11PinFile");
            }
            pin = File.ReadAllText(file).TrimEnd('\r', '\n');
        }
        if (string.IsNullOrEmpty(pin))
        {
            throw new SegelException(ErrorKind.Invalid, $"The HSM needs a PIN: set Ca:Pkcs11PinFile or SEGEL_PKCS11_PIN.", "Ca:Pkcs11PinFile");
        }
        try
        {
            return new Pkcs11KeyStore(new Pkcs11Options(options.Pkcs11Library!, options.Pkcs11Token, pin));
        }
        catch (KeyStoreException e)
        {
            throw new SegelException(ErrorKind.NotReady, $"{e.Message}", "Ca:Pkcs11Library");
        }
    }
}
