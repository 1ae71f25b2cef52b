using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Segel.Pki.Cms;

namespace Segel.Pki.Keys;

/// <summary>One officer's part of the recovery secret: the share's point, and its values enveloped to the officer's certificate.</summary>
public sealed record OfficerShare(X509Certificate2 Officer, byte X, byte[] Envelope);

/// <summary>A recovery key as it is kept: its certificate (public), its private key encrypted, and who holds the shares.</summary>
public sealed record RecoveryKeySet(X509Certificate2 Certificate, byte[] EncryptedPrivateKey, int Threshold, IReadOnlyList<OfficerShare> Shares);

/// <summary>
/// Key recovery with a split secret (issue 23.5, as EJBCA's key recovery with an approval profile, but with no key the
/// server can use alone):
/// <list type="bullet">
/// <item>holders' encryption keys are escrowed to a recovery key pair (RSA-3072) as CMS EnvelopedData
/// (<see cref="Escrow"/>);</item>
/// <item>the recovery private key is kept only as an encrypted PKCS#8 (PBES2, AES-256-CBC) whose password is a random
/// 256-bit secret, in hex;</item>
/// <item>that secret is split <c>threshold</c>-of-n (<see cref="SecretSharing"/>) and each share enveloped to one officer's
/// certificate, so the server holds nothing that opens an escrow until enough officers have opened their shares.</item>
/// </list>
/// Every step can also be done without Segel, with tools nobody here wrote: <c>openssl cms -decrypt</c> opens a share with
/// the officer's key, <c>gfcombine</c> rebuilds the secret from the share files (<c>name.NNN</c>, NNN the point),
/// <c>openssl pkcs8 -passin pass:HEX</c> opens the recovery key, and <c>openssl cms -decrypt</c> the escrow.
/// </summary>
public static class KeyRecovery
{
    public const int SecretLength = 32;
    private const int RecoveryKeyBits = 3072;

    /// <summary>Makes a recovery key and splits its secret among <paramref name="officers"/>, any <paramref name="threshold"/> of whom can recover.</summary>
    public static RecoveryKeySet Create(X500DistinguishedName name, IReadOnlyList<X509Certificate2> officers, int threshold, DateTimeOffset now, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(officers);
        if (threshold < 2 || officers.Count < threshold || officers.Count > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), $"{threshold} of {officers.Count} officers cannot recover: it takes 2 ≤ threshold ≤ officers ≤ 255.");
        }
        if (officers.Select(o => o.Thumbprint).Distinct(StringComparer.Ordinal).Count() != officers.Count)
        {
            throw new ArgumentException("Each officer holds one share: an officer is named twice.", nameof(officers));
        }
        using RSA key = RSA.Create(RecoveryKeyBits);
        // Self-signed: the certificate only carries the public key and an identifier for the escrows' recipient info; nothing
        // trusts it, and it is never published.
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using X509Certificate2 signed = request.CreateSelfSigned(now, now + lifetime);
        X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(signed.RawData);

        byte[] secret = RandomNumberGenerator.GetBytes(SecretLength);
        char[] password = Convert.ToHexString(secret).ToCharArray();
        try
        {
            byte[] encrypted = key.ExportEncryptedPkcs8PrivateKey(password, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000));
            IReadOnlyList<SecretShare> shares = SecretSharing.Split(secret, threshold, officers.Count);
            var held = new OfficerShare[officers.Count];
            for (int i = 0; i < officers.Count; i++)
            {
                held[i] = new OfficerShare(officers[i], shares[i].X, DocumentEncryption.Encrypt(shares[i].Y, [officers[i]]));
                CryptographicOperations.ZeroMemory(shares[i].Y);
            }
            return new RecoveryKeySet(certificate, encrypted, threshold, held);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
            Array.Clear(password);
        }
    }

    /// <summary>A key (PKCS#8) escrowed to the recovery key.</summary>
    public static byte[] Escrow(ReadOnlySpan<byte> pkcs8, X509Certificate2 recoveryCertificate) =>
        DocumentEncryption.Encrypt(pkcs8, [recoveryCertificate ?? throw new ArgumentNullException(nameof(recoveryCertificate))]);

    /// <summary>An officer opens their share with their own key.</summary>
    public static SecretShare OpenShare(OfficerShare share, AsymmetricAlgorithm officerKey)
    {
        ArgumentNullException.ThrowIfNull(share);
        return new SecretShare(share.X, DocumentEncryption.Decrypt(share.Envelope, share.Officer, officerKey));
    }

    /// <summary>
    /// Opens the recovery key from opened shares, then the escrow with it; returns the escrowed PKCS#8. Too few or wrong shares
    /// rebuild a wrong secret, which the encrypted key refuses: <see cref="CryptographicException"/>.
    /// </summary>
    public static byte[] Recover(RecoveryKeySet keys, IReadOnlyList<SecretShare> shares, ReadOnlySpan<byte> escrow)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(shares);
        if (shares.Count < keys.Threshold)
        {
            throw new CryptographicException($"Recovery needs {keys.Threshold} shares; {shares.Count} were given.");
        }
        byte[] secret = SecretSharing.Combine(shares);
        char[] password = Convert.ToHexString(secret).ToCharArray();
        try
        {
            using RSA key = RSA.Create();
            key.ImportEncryptedPkcs8PrivateKey(password, keys.EncryptedPrivateKey, out _);
            return DocumentEncryption.Decrypt(escrow, keys.Certificate, key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
            Array.Clear(password);
        }
    }
}
