using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Segel.Pki.Certificates;
using Segel.Pki.Keys;
using Segel.Pki.Ocsp;
using Segel.Pki.Revocation;
using Segel.Testing;

namespace Segel.Pki.Tests.Ocsp;

public sealed class OcspResponderTests : IClassFixture<PkiFixture>, IDisposable
{
    private readonly PkiFixture _pki;
    private readonly TempDirectory _dir = new();
    private readonly SoftwareSigningKey _responderKey = SoftwareSigningKey.Generate("soft:ocsp", KeyAlgorithm.EcdsaP256);
    private readonly FakeStatuses _statuses = new();
    private readonly FakeTimeProvider _time = new(PkiFixture.Now);
    private readonly OcspResponder _responder;
    private readonly X509Certificate2 _leaf;

    public OcspResponderTests(PkiFixture pki)
    {
        _pki = pki;
        X509Certificate2 responderCert = pki.Signer.Sign(new CertificateTemplate(PkiFixture.Subject("OCSP").ToDistinguishedName(),
            _responderKey.PublicKey, CertificateProfile.Ocsp, PkiFixture.Now, PkiFixture.Now.AddDays(90), SerialNumber.New()));
        _responder = new OcspResponder([new OcspAuthority("issuing-ca", pki.Issuing, responderCert, _responderKey)], _statuses, _time);
        _leaf = pki.Issue(CertificateProfile.Subscriber);
        _dir.Write("issuing.pem", pki.Issuing.ExportCertificatePem());
        _dir.Write("leaf.pem", _leaf.ExportCertificatePem());
        pki.ChainPem(_dir);
    }

    private string Serial => SerialNumber.Normalise(_leaf.SerialNumberBytes.Span);

    private byte[] Request(bool nonce, string hash = "-sha1")
    {
        Tool.OpenSslOk("ocsp", "-issuer", _dir.File("issuing.pem"), hash, "-cert", _dir.File("leaf.pem"), nonce ? "-nonce" : "-no_nonce", "-reqout", _dir.File("req.der"));
        return File.ReadAllBytes(_dir.File("req.der"));
    }

    private string Check(byte[] response, string hash = "-sha1")
    {
        _dir.Write("resp.der", response);
        // -VAfile is not used: the responder is delegated, openssl must find and check its certificate itself.
        return Tool.OpenSsl("ocsp", "-respin", _dir.File("resp.der"), "-issuer", _dir.File("issuing.pem"), hash, "-cert", _dir.File("leaf.pem"),
            "-CAfile", _dir.File("chain.pem"), "-resp_text").Output;
    }

    [Fact]
    public async Task Good_certificate_is_answered_good_and_openssl_verifies_the_response()
    {
        _statuses.Set(Serial, CertificateStatus.Good);
        string output = Check((await _responder.RespondAsync(Request(nonce: false))).Body);
        Assert.Contains("Response verify OK", output, StringComparison.Ordinal);
        Assert.Contains("leaf.pem: good", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revocation_shows_on_the_next_request_after_invalidate()
    {
        _statuses.Set(Serial, CertificateStatus.Good);
        byte[] request = Request(nonce: false);
        Assert.Contains("leaf.pem: good", Check((await _responder.RespondAsync(request)).Body), StringComparison.Ordinal);
        _statuses.Set(Serial, CertificateStatus.Revoked(PkiFixture.Now, RevocationReason.KeyCompromise));
        _responder.Invalidate();
        string output = Check((await _responder.RespondAsync(request)).Body);
        Assert.Contains("leaf.pem: revoked", output, StringComparison.Ordinal);
        Assert.Contains("keyCompromise", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nonce_is_echoed_and_the_answer_is_not_cached()
    {
        _statuses.Set(Serial, CertificateStatus.Good);
        OcspAnswer answer = await _responder.RespondAsync(Request(nonce: true));
        Assert.False(answer.Cacheable);
        string output = Check(answer.Body);
        Assert.Contains("OCSP Nonce", output, StringComparison.Ordinal);
        Assert.DoesNotContain("WARNING: no nonce", output, StringComparison.Ordinal);
        Assert.Equal(0, _responder.CachedResponses);
    }

    [Fact]
    public async Task The_cache_of_signed_answers_is_bounded_by_bytes()
    {
        _statuses.Set(Serial, CertificateStatus.Good);
        byte[] sha1 = Request(nonce: false), sha256 = Request(nonce: false, "-sha256");
        OcspAnswer first = await _responder.RespondAsync(sha1);
        // Room for one answer and its request, not two: the second starts the cache over.
        var small = new OcspResponder([new OcspAuthority("issuing-ca", _pki.Issuing, ResponderCertificate(), _responderKey)], _statuses, _time,
            new OcspOptions { MaxCachedBytes = (sha1.Length + first.Body.Length) * 3 / 2 });
        await small.RespondAsync(sha1);
        Assert.Equal(0, small.CachedResponses); // asked once: not kept (see the next test)
        await small.RespondAsync(sha1);
        Assert.Equal(1, small.CachedResponses);
        await small.RespondAsync(sha256);
        await small.RespondAsync(sha256);
        Assert.Equal(1, small.CachedResponses);
        Assert.Contains("leaf.pem: good", Check((await small.RespondAsync(sha256)).Body, "-sha256"), StringComparison.Ordinal); // from the cache, still right
        await _responder.RespondAsync(sha1);
        await _responder.RespondAsync(sha256);
        await _responder.RespondAsync(sha256);
        Assert.Equal(2, _responder.CachedResponses); // the default holds both
    }

    [Fact]
    public async Task An_answer_is_kept_only_for_a_request_asked_again()
    {
        _statuses.Set(Serial, CertificateStatus.Good);
        byte[] request = Request(nonce: false);
        await _responder.RespondAsync(request);
        Assert.Equal(0, _responder.CachedResponses);
        OcspAnswer second = await _responder.RespondAsync(request);
        Assert.Equal(1, _responder.CachedResponses);
        Assert.Same(second, await _responder.RespondAsync(request));
    }

    private X509Certificate2 ResponderCertificate() =>
        _pki.Signer.Sign(new CertificateTemplate(PkiFixture.Subject("OCSP").ToDistinguishedName(), _responderKey.PublicKey, CertificateProfile.Ocsp,
            PkiFixture.Now, PkiFixture.Now.AddDays(90), SerialNumber.New()));

    /// <summary>
    /// A request with a new nonce, answered; openssl checks the answer against that very request (signature and nonce),
    /// then reads the certificate's status from it.
    /// </summary>
    private string CheckFresh()
    {
        byte[] request = Request(nonce: true);
        _dir.Write("resp.der", _responder.RespondAsync(request).AsTask().GetAwaiter().GetResult().Body);
        string against = Tool.OpenSsl("ocsp", "-reqin", _dir.File("req.der"), "-respin", _dir.File("resp.der"), "-CAfile", _dir.File("chain.pem"), "-resp_text").Output;
        Assert.Contains("Response verify OK", against, StringComparison.Ordinal);
        Assert.DoesNotContain("Nonce Verify error", against, StringComparison.Ordinal);
        Assert.DoesNotContain("no nonce", against, StringComparison.Ordinal);
        return against + Tool.OpenSsl("ocsp", "-respin", _dir.File("resp.der"), "-issuer", _dir.File("issuing.pem"), "-cert", _dir.File("leaf.pem"),
            "-CAfile", _dir.File("chain.pem"), "-no_nonce").Output;
    }

    [Fact]
    public async Task Fresh_nonces_are_each_signed_but_the_status_is_read_once_until_a_revocation_or_its_refresh_time()
    {
        _statuses.Set(Serial, CertificateStatus.Good);
        string first = CheckFresh();
        string second = CheckFresh();
        Assert.All((string[])[first, second], o => Assert.Contains("leaf.pem: good", o, StringComparison.Ordinal));
        Assert.NotEqual(first, second); // each answer carries its own nonce
        Assert.Equal(1, _statuses.Reads);

        _statuses.Set(Serial, CertificateStatus.Revoked(PkiFixture.Now, RevocationReason.KeyCompromise));
        _responder.Invalidate();
        Assert.Contains("leaf.pem: revoked", CheckFresh(), StringComparison.Ordinal);
        Assert.Equal(2, _statuses.Reads);

        _time.Advance(_responder.Options.RefreshAfter + TimeSpan.FromSeconds(1));
        await _responder.RespondAsync(Request(nonce: true));
        Assert.Equal(3, _statuses.Reads);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(32, true)]
    [InlineData(33, false)]
    [InlineData(0, false)]
    [InlineData(1000, false)]
    public async Task A_nonce_of_1_to_32_octets_is_answered_and_any_other_refused_as_malformed(int length, bool answered)
    {
        _statuses.Set(Serial, CertificateStatus.Good);
        var plain = new Org.BouncyCastle.Ocsp.OcspReq(Request(nonce: false));
        var generator = new Org.BouncyCastle.Ocsp.OcspReqGenerator();
        foreach (Org.BouncyCastle.Ocsp.Req item in plain.GetRequestList())
        {
            generator.AddRequest(item.GetCertID());
        }
        byte[] nonce = new byte[length];
        Random.Shared.NextBytes(nonce);
        generator.SetRequestExtensions(new Org.BouncyCastle.Asn1.X509.X509Extensions(new Dictionary<Org.BouncyCastle.Asn1.DerObjectIdentifier, Org.BouncyCastle.Asn1.X509.X509Extension>
        {
            [Org.BouncyCastle.Asn1.Ocsp.OcspObjectIdentifiers.PkixOcspNonce] = new(false, new Org.BouncyCastle.Asn1.DerOctetString(new Org.BouncyCastle.Asn1.DerOctetString(nonce))),
        }));
        OcspAnswer answer = await _responder.RespondAsync(generator.Generate().GetEncoded());
        if (answered)
        {
            // Checked without a request of openssl's own, whose nonce it would compare; the echo is compared here.
            string output = Check(answer.Body);
            Assert.Contains("Cert Status: good", output, StringComparison.Ordinal);
            Assert.Contains(Convert.ToHexString(nonce), output.Replace(":", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
        else
        {
            Assert.Same(OcspAnswer.MalformedRequest, answer);
            _dir.Write("resp.der", answer.Body);
            Assert.Contains("malformedrequest", Tool.OpenSsl("ocsp", "-respin", _dir.File("resp.der"), "-resp_text", "-noverify").Output, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Sha256_cert_ids_are_understood()
    {
        _statuses.Set(Serial, CertificateStatus.Good);
        Assert.Contains("leaf.pem: good", Check((await _responder.RespondAsync(Request(false, "-sha256"))).Body, "-sha256"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_serial_is_unknown()
    {
        Assert.Contains("leaf.pem: unknown", Check((await _responder.RespondAsync(Request(false))).Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cached_answer_is_refreshed_after_its_time()
    {
        _statuses.Set(Serial, CertificateStatus.Good);
        byte[] request = Request(false);
        await _responder.RespondAsync(request);
        OcspAnswer first = await _responder.RespondAsync(request);
        Assert.Same(first, await _responder.RespondAsync(request));
        _time.Advance(_responder.Options.RefreshAfter + TimeSpan.FromSeconds(1));
        Assert.NotSame(first, await _responder.RespondAsync(request));
    }

    [Fact]
    public async Task Certificate_of_another_issuer_gets_unauthorized()
    {
        _dir.Write("root.pem", _pki.Root.ExportCertificatePem());
        Tool.OpenSslOk("ocsp", "-issuer", _dir.File("root.pem"), "-cert", _dir.File("issuing.pem"), "-no_nonce", "-reqout", _dir.File("other.der"));
        OcspAnswer answer = await _responder.RespondAsync(File.ReadAllBytes(_dir.File("other.der")));
        Assert.Equal(OcspAnswer.Unauthorized.Body, answer.Body);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("3003020101")]
    [InlineData("30800000")]
    public async Task Malformed_requests_get_malformedRequest(string hexOrText)
    {
        byte[] body = hexOrText.Length > 0 && hexOrText.All(Uri.IsHexDigit) ? Convert.FromHexString(hexOrText) : System.Text.Encoding.ASCII.GetBytes(hexOrText);
        Assert.Equal(OcspAnswer.MalformedRequest.Body, (await _responder.RespondAsync(body)).Body);
    }

    [Fact]
    public async Task Random_mutations_of_a_valid_request_never_throw()
    {
        _statuses.Set(Serial, CertificateStatus.Good);
        byte[] valid = Request(false);
        var random = new Random(42);
        for (int i = 0; i < 3000; i++)
        {
            byte[] mutated = (byte[])valid.Clone();
            int flips = random.Next(1, 4);
            for (int f = 0; f < flips; f++)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }
            if (random.Next(4) == 0)
            {
                mutated = mutated[..random.Next(mutated.Length)];
            }
            OcspAnswer answer = await _responder.RespondAsync(mutated);
            Assert.NotEmpty(answer.Body);
        }
    }

    public void Dispose()
    {
        _responderKey.Dispose();
        _dir.Dispose();
    }

    private sealed class FakeStatuses : ICertificateStatusSource
    {
        private readonly Dictionary<string, CertificateStatus> _statuses = new(StringComparer.Ordinal);

        public int Reads { get; private set; }

        public void Set(string serial, CertificateStatus status) => _statuses[serial] = status;

        public ValueTask<CertificateStatus> GetStatusAsync(string issuerSlug, string serialHex, CancellationToken cancellationToken)
        {
            Reads++;
            return ValueTask.FromResult(_statuses.TryGetValue(serialHex, out CertificateStatus s) ? s : CertificateStatus.Unknown);
        }
    }
}
