using Segel.Core.Configuration;
using Segel.Core.Errors;
using Segel.Pki.Keys;

namespace Segel.Server.Hosting;

/// <summary>The key store configuration asks for: software keys sealed under the master key, or an HSM over PKCS#11.</summary>
public static class KeyStores
{
    public static IKeyStore Create(CaOptions options, MasterKey masterKey)
    {
        ArgumentNullException.ThrowIfNull(options);
        var software = new SoftwareKeyStore(masterKey);
        if (string.IsNullOrWhiteSpace(options.Pkcs11Library))
        {
            return software;
        }
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
        Pkcs11KeyStore hsm;
        try
        {
            hsm = new Pkcs11KeyStore(new Pkcs11Options(options.Pkcs11Library, options.Pkcs11Token, pin));
        }
        catch (KeyStoreException e)
        {
            throw new SegelException(ErrorKind.NotReady, $"{e.Message}", "Ca:Pkcs11Library");
        }
        return new KeyStoreRouter(hsm, new Dictionary<string, IKeyStore>(StringComparer.Ordinal)
        {
            [Pkcs11KeyStore.Scheme] = hsm,
            [SoftwareKeyStore.Scheme] = software,
        });
    }
}
