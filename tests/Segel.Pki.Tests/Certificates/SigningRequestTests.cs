using Segel.Pki.Certificates;
using Segel.Testing;

namespace Segel.Pki.Tests.Certificates;

public sealed class SigningRequestTests
{
    [Fact]
    public void Openssl_csr_is_read_with_its_names()
    {
        using var dir = new TempDirectory();
        Tool.OpenSslOk("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.File("k.pem"), "-out", dir.File("r.csr"),
            "-subj", "/CN=Siti Aminah/OU=Dinas Kesehatan/emailAddress=siti@tanahbumbukab.go.id");
        SigningRequest request = SigningRequest.Load(File.ReadAllBytes(dir.File("r.csr")));
        Assert.Equal("Siti Aminah", request.CommonName);
        Assert.Equal("Dinas Kesehatan", request.OrganizationalUnit);
        Assert.Equal("siti@tanahbumbukab.go.id", request.Email);
        Assert.Equal(Segel.Pki.Keys.KeyAlgorithm.Rsa2048, request.Algorithm);
    }

    [Fact]
    public void Csr_with_a_broken_signature_fails_proof_of_possession()
    {
        using var dir = new TempDirectory();
        Tool.OpenSslOk("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", dir.File("k.pem"),
            "-out", dir.File("r.der"), "-outform", "DER", "-subj", "/CN=Tamper");
        byte[] der = File.ReadAllBytes(dir.File("r.der"));
        der[^5] ^= 0x55; // inside the signature value
        var e = Assert.Throws<CertificateIssuanceException>(() => SigningRequest.Load(der));
        Assert.Contains("proof of possession", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-md5", "MD5")]
    [InlineData("-sha1", "SHA-1")]
    [InlineData("ed25519", "Ed25519")]
    public void Csr_signed_with_a_broken_or_unsupported_algorithm_is_refused_by_name(string how, string name)
    {
        using var dir = new TempDirectory();
        if (how == "ed25519")
        {
            Tool.OpenSslOk("genpkey", "-algorithm", "ed25519", "-out", dir.File("k.pem"));
            Tool.OpenSslOk("req", "-new", "-key", dir.File("k.pem"), "-out", dir.File("r.csr"), "-subj", "/CN=Edwards");
        }
        else
        {
            Tool.OpenSslOk("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.File("k.pem"), "-out", dir.File("r.csr"), "-subj", "/CN=Lama", how);
        }
        var e = Assert.Throws<CertificateIssuanceException>(() => SigningRequest.Load(File.ReadAllBytes(dir.File("r.csr"))));
        Assert.Contains($"signed with {name}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Weak_rsa_key_is_refused()
    {
        using var dir = new TempDirectory();
        Tool.OpenSslOk("req", "-new", "-newkey", "rsa:1024", "-nodes", "-keyout", dir.File("k.pem"), "-out", dir.File("r.csr"), "-subj", "/CN=Weak");
        var e = Assert.Throws<CertificateIssuanceException>(() => SigningRequest.Load(File.ReadAllBytes(dir.File("r.csr"))));
        Assert.Contains("RSA 2048/3072/4096", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a csr at all")]
    [InlineData("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n")]
    public void Garbage_is_a_clear_error(string text) =>
        Assert.Throws<CertificateIssuanceException>(() => SigningRequest.Load(System.Text.Encoding.ASCII.GetBytes(text)));
}
