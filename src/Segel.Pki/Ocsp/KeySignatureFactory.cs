using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Segel.Pki.Keys;

namespace Segel.Pki.Ocsp;

/// <summary>
/// BouncyCastle builds OCSP responses, time-stamps and PDF signatures; the signature itself comes from <see cref="ISigningKey"/>, so the
/// responder key may live in software or in an HSM without BouncyCastle ever seeing it.
/// </summary>
public sealed class KeySignatureFactory : ISignatureFactory
{
    private readonly ISigningKey _key;

    public KeySignatureFactory(ISigningKey key)
    {
        _key = key;
        AlgorithmDetails = AlgorithmIdentifier.GetInstance(Asn1Object.FromByteArray(SignatureAlgorithms.AlgorithmIdentifier(key.Algorithm)));
    }

    public object AlgorithmDetails { get; }

    public IStreamCalculator<IBlockResult> CreateCalculator() => new Calculator(_key);

#pragma warning disable CA1001 // BouncyCastle disposes Stream when it has written the data to sign.
    private sealed class Calculator(ISigningKey key) : IStreamCalculator<IBlockResult>
    {
        private readonly MemoryStream _buffer = new();

        public Stream Stream => _buffer;

        public IBlockResult GetResult() => new Result(key.SignData(_buffer.ToArray()));
    }
#pragma warning restore CA1001

    private sealed class Result(byte[] signature) : IBlockResult
    {
        public byte[] Collect() => signature;

        public int Collect(byte[] buf, int off)
        {
            signature.CopyTo(buf, off);
            return signature.Length;
        }

        public int Collect(Span<byte> output)
        {
            signature.CopyTo(output);
            return signature.Length;
        }

        public int GetMaxResultLength() => signature.Length;
    }
}
