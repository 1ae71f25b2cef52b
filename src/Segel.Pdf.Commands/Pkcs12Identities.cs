using System.Security.Cryptography;
using Segel.Pdf.Signing;
using Segel.Pki.Certificates;
using Segel.Pki.Keys;

namespace Segel.Pdf.Commands;

/// <summary>A signer's certificate, key and chain from a PKCS#12 file, as `pdf sign --p12` takes them.</summary>
public static class Pkcs12Identities
{
    public static SigningIdentity Load(byte[] pkcs12, string password)
    {
        Pkcs12Contents contents;
        try
        {
            contents = Pkcs12Import.Read(pkcs12, password);
        }
        catch (CryptographicException)
        {
            throw CommandException.Invalid("The PKCS#12 cannot be opened: wrong password or not a PKCS#12 file.");
        }
        if (contents is not { Owner: { } signer, Key: { } key })
        {
            throw CommandException.Invalid("The PKCS#12 holds no private key (of RSA or ECDSA) for a certificate in it.");
        }
        KeyAlgorithm algorithm = KeyAlgorithms.Identify(signer.PublicKey) ?? Refuse(key);
        return new SigningIdentity(signer, contents.Certificates, new SoftwareSigningKey("p12", algorithm, key));
    }

    private static KeyAlgorithm Refuse(AsymmetricAlgorithm key)
    {
        key.Dispose();
        throw CommandException.Invalid("The key's size or curve is not one Segel signs with (RSA 2048–4096, ECDSA P-256/P-384).");
    }
}
