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
                throw SegelException.Invalid("Ca:Pkcs11MasterKey", $"Ca:Pkcs11MasterKey needs an HSM: set Ca:Pkcs11Library, Ca:Pkcs11Token and the PIN.");
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
            throw SegelException.Invalid("Ca:Pkcs11Token", $"Ca:Pkcs11Library is set, so Ca:Pkcs11Token must name the token.");
        }
        string? pin = Environment.GetEnvironmentVariable("SEGEL_PKCS11_PIN");
        if (pin is null && options.Pkcs11PinFile is { Length: > 0 } file)
        {
            if (!File.Exists(file))
            {
                throw SegelException.Invalid("Ca:Pkcs11PinFile", $"The PIN file {file} does not exist.");
            }
            pin = File.ReadAllText(file).TrimEnd('\r', '\n');
        }
        if (string.IsNullOrEmpty(pin))
        {
            throw SegelException.Invalid("Ca:Pkcs11PinFile", $"The HSM needs a PIN: set Ca:Pkcs11PinFile or SEGEL_PKCS11_PIN.");
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
