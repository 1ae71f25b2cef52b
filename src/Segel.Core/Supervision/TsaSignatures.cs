using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Segel.Pki.Keys;

namespace Segel.Core.Supervision;

/// <summary>Checks a signature Segel's time-stamping key made over its own statements (audit checkpoints, tree heads) with nothing but its certificate.</summary>
internal static class TsaSignatures
{
    public static bool Verify(X509Certificate2 signer, byte[] data, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(signer);
        if (KeyAlgorithms.Identify(signer.PublicKey) is not KeyAlgorithm algorithm)
        {
            return false;
        }
        HashAlgorithmName hash = algorithm.Hash();
        using RSA? rsa = signer.GetRSAPublicKey();
        if (rsa is not null)
        {
            return rsa.VerifyData(data, signature, hash, RSASignaturePadding.Pkcs1);
        }
        using ECDsa? ec = signer.GetECDsaPublicKey();
        return ec is not null && ec.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
    }
}
