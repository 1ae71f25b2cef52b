using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Segel.Core.Ca;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pdf.Signing;
using Segel.Pdf.Verification;
using Segel.Pki.Certificates;
using Segel.Pki.Keys;
using Segel.Pki.Ocsp;
using Segel.Pki.Revocation;
using Segel.Pki.Validation;
using Segel.Testing;

namespace Segel.Pdf.Tests;

/// <summary>
/// A holder's certificate from a real Segel CA, and an NSS database trusting Segel's root — what pdfsig needs
/// to say "Certificate is Trusted" about Segel's signatures.
/// </summary>
public sealed partial class SigningFixture : IAsyncLifetime
{
    private TestCa _ca = null!;
    private OcspResponder _responder = null!;

    public SigningIdentity Identity { get; private set; } = null!;

    /// <summary>A second holder, for documents two people sign.</summary>
    public SigningIdentity Second { get; private set; } = null!;

    public TempDirectory Directory => _ca.Directory;

    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Time => _ca.Time;

    /// <summary>Segel's own TSA, called in-process.</summary>
    public ITimeStampClient TimeStamps => new DelegateTimeStampClient(async (request, token) => await _ca.Ca.TimeStamps.RespondAsync(request, token));

    /// <summary>Segel's own OCSP responder and CRLs, called in-process (what HttpRevocationSource would fetch from a running server).</summary>
    public IRevocationSource Revocation { get; private set; } = null!;

    /// <summary>Verification as a relying party online would do it.</summary>
    public PdfVerificationOptions Online => new() { Revocation = Revocation };

    public string ChainPem => _ca.Directory.File("chain.pem");

    public string NssDatabase => "sql:" + _ca.Directory.File("nss");

    public async Task InitializeAsync()
    {
        _ca = await TestCa.CreateAsync(configure: o => o.Ca.SubscriberAlgorithm = "rsa2048");
        LoadedAuthority issuing = await _ca.Ca.Ring.GetActiveAsync(AuthorityRole.IssuingCa);
        LoadedAuthority root = await _ca.Ca.Ring.GetActiveAsync(AuthorityRole.RootCa);
        Identity = await HolderAsync("Budi Santoso", "budi@tanahbumbukab.go.id", "198507152010011003");
        Second = await HolderAsync("Siti Aminah", "siti@tanahbumbukab.go.id", "199001012015032001");

        _responder = await _ca.Ca.Responders.BuildAsync();
        _ca.Ca.Events.StatusChanged += (_, _) => _responder.Invalidate();
        IReadOnlyList<LoadedAuthority> authorities = await _ca.Ca.Ring.GetAllAsync();
        Revocation = new DelegateRevocationSource(
            async (certificate, issuer, token) => (await _responder.RespondAsync(OcspRequests.Create(certificate, issuer), token)).Body,
            async (certificate, issuer, token) =>
            {
                LoadedAuthority authority = authorities.First(a => a.Certificate.Thumbprint == issuer.Thumbprint);
                return (await _ca.Ca.Crls.PublishAsync(authority, cancellationToken: token)).Der;
            });

        File.WriteAllText(ChainPem, issuing.Certificate.ExportCertificatePem() + "\n" + root.Certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(_ca.Directory.File("root.pem"), root.Certificate.ExportCertificatePem() + "\n");
        System.IO.Directory.CreateDirectory(_ca.Directory.File("nss"));
        Tool.Run("certutil", "-N", "-d", NssDatabase, "--empty-password").Check();
        Tool.Run("certutil", "-A", "-n", "Segel Root", "-t", "CT,C,C", "-i", _ca.Directory.File("root.pem"), "-d", NssDatabase).Check();
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, System.Security.Cryptography.RSA> _rsaKeys = new();

    /// <summary>A holder's private key itself, for tests that build signatures the way other software does.</summary>
    public System.Security.Cryptography.RSA RsaKeyOf(SigningIdentity identity) => _rsaKeys[identity.Certificate.Thumbprint];

    /// <summary>A holder of this CA with a fresh certificate and key.</summary>
    public async Task<SigningIdentity> HolderAsync(string name, string email, string nip)
    {
        LoadedAuthority issuing = await _ca.Ca.Ring.GetActiveAsync(AuthorityRole.IssuingCa);
        LoadedAuthority root = await _ca.Ca.Ring.GetActiveAsync(AuthorityRole.RootCa);
        (IssuedCertificate _, byte[] pkcs12) = await _ca.Ca.Issuance.IssueWithGeneratedKeyAsync(
            new HolderDetails(name, email, "Dinas Komunikasi dan Informatika", nip), CertificateProfile.Subscriber, "kata-sandi-p12", Actor.System);
        X509Certificate2 withKey = X509CertificateLoader.LoadPkcs12(pkcs12, "kata-sandi-p12");
        var key = new SoftwareSigningKey("test:" + email, KeyAlgorithm.Rsa2048, withKey.GetRSAPrivateKey()!);
        _rsaKeys[withKey.Thumbprint] = withKey.GetRSAPrivateKey()!;
        return new SigningIdentity(X509CertificateLoader.LoadCertificate(withKey.RawData), [issuing.Certificate, root.Certificate], key);
    }

    /// <summary>What the server's daily job does: renews the OCSP responder and TSA certificates that are due; the responder answers with the new one.</summary>
    public async Task<int> RenewServicesAsync()
    {
        int renewed = await _ca.Ca.ResponderRenewal.RenewDueAsync(Segel.Core.Kernel.Principal.System);
        _responder = await _ca.Ca.Responders.BuildAsync();
        return renewed;
    }

    public Task RevokeAsync(SigningIdentity holder, RevocationReason reason) =>
        _ca.Ca.Revocation.RevokeAsync(holder.Certificate.SerialNumber, reason, Actor.System);

    public Task DisposeAsync()
    {
        _ca.Dispose();
        return Task.CompletedTask;
    }

    public async Task<string> SignAsync(byte[] pdf, string name, PdfSignatureOptions? options = null, SigningIdentity? identity = null)
    {
        string path = Directory.File(name);
        using (var output = new FileStream(path, FileMode.Create, FileAccess.ReadWrite))
        {
            await PdfSigner.SignAsync(pdf, output, identity ?? Identity, options ?? new PdfSignatureOptions { Reason = "Persetujuan", Location = "Batulicin" });
        }
        return path;
    }

    public string Write(byte[] pdf, string name)
    {
        string path = Directory.File(name);
        File.WriteAllBytes(path, pdf);
        return path;
    }

    /// <summary>pdfsig's report, with Segel's root trusted and no network.</summary>
    public Tool.Result PdfSig(string path) => Tool.Run("pdfsig", "-nssdir", NssDatabase, "-no-ocsp", path);

    /// <summary>The last signature's byte ranges and CMS, cut out of the file the way any verifier would.</summary>
    public static (byte[] Content, byte[] Cms) LastSignature(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        string text = System.Text.Encoding.Latin1.GetString(file);
        Match range = ByteRange().Matches(text)[^1];
        long[] r = Enumerable.Range(1, 4).Select(i => long.Parse(range.Groups[i].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        byte[] content = [.. file.AsSpan((int)r[0], (int)r[1]), .. file.AsSpan((int)r[2], (int)r[3])];
        // The zero bytes after the DER are padding; cut at the DER length. (Trimming '0' characters instead would
        // also cut a signature whose last byte happens to be zero, once in 256 runs.)
        byte[] cms = Convert.FromHexString(text.AsSpan((int)r[1] + 1, (int)(r[2] - r[1] - 2)));
        int length = new System.Formats.Asn1.AsnReader(cms, System.Formats.Asn1.AsnEncodingRules.BER).PeekEncodedValue().Length;
        return (content, cms[..length]);
    }

    [GeneratedRegex(@"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")]
    private static partial Regex ByteRange();
}
