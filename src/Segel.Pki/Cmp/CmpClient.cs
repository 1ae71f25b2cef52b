using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Asn1.Crmf;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cmp;
using Org.BouncyCastle.Crmf;
using Org.BouncyCastle.Math;
using Segel.Pki.Revocation;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Segel.Pki.Cmp;

/// <summary>Where the upstream CA's CMP endpoint is and how Segel's RA proves itself to it (RFC 9483 §3.2 message protection).</summary>
public sealed record CmpOptions(Uri Server, X500DistinguishedName Recipient)
{
    /// <summary>The RA's name in the messages it sends.</summary>
    public X500DistinguishedName Sender { get; init; } = new("CN=Segel RA");

    /// <summary>The reference the upstream gave with the shared secret (sent as senderKID).</summary>
    public string? Reference { get; init; }

    /// <summary>A shared secret: messages are protected with a password-based MAC (PBM, RFC 4210 §5.1.3.1) both ways.</summary>
    public string? Secret { get; init; }

    /// <summary>Certificates trusted to sign the upstream's responses, when they are signature-protected rather than MAC-protected.</summary>
    public IReadOnlyCollection<X509Certificate2> TrustedResponders { get; init; } = [];

    /// <summary>How long one exchange may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>What an enrollment brought back: the certificate, and the CA certificates the upstream sent with it (its chain).</summary>
public sealed record CmpEnrollment(X509Certificate2 Certificate, IReadOnlyList<X509Certificate2> CaCertificates);

/// <summary>A CMP exchange that failed: refused by the upstream (its status and reason), or an answer Segel does not accept.</summary>
public sealed class CmpException : Exception
{
    public CmpException()
    {
    }

    public CmpException(string message) : base(message)
    {
    }

    public CmpException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>True when the upstream refused (PKIStatus rejection or an error message), false when the exchange itself failed.</summary>
    public bool Refused { get; init; }
}

/// <summary>
/// The RA end of CMP (RFC 4210 as profiled by the Lightweight CMP Profile, RFC 9483) over HTTP (RFC 6712): enrollment
/// of a PKCS#10 request (p10cr → cp → certConf → pkiConf), so the same request serves a holder's own key and a key
/// Segel generated in custody, and revocation (rr → rp). Every response must be protected — with the shared secret's
/// MAC or by a trusted responder's signature — and belong to this transaction (transactionID, recipNonce); an
/// enrolled certificate must be for the requested key, or it is refused back to the CA in the certConf.
/// </summary>
public sealed class CmpClient
{
    private const int MaxResponseBytes = 256 * 1024;
    private static readonly MediaTypeHeaderValue PkixCmp = new("application/pkixcmp");

    private readonly CmpOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    public CmpClient(CmpOptions options, HttpClient http, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(http);
        if (string.IsNullOrEmpty(options.Secret) && options.TrustedResponders.Count == 0)
        {
            throw new ArgumentException("CMP needs a shared secret or trusted responder certificates: an unprotected answer proves nothing.", nameof(options));
        }
        _options = options;
        _http = http;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Has the upstream certify the key in <paramref name="certificationRequest"/> (DER PKCS#10, p10cr), and confirms what comes back.</summary>
    public async Task<CmpEnrollment> EnrollAsync(byte[] certificationRequest, CancellationToken cancellationToken = default)
    {
        CmpPendingEnrollment pending = await RequestAsync(certificationRequest, cancellationToken);
        await pending.ConfirmAsync(cancellationToken);
        return pending.Result;
    }

    /// <summary>
    /// Sends a PKCS#10 request (p10cr) and returns the certificate the upstream issued, not yet confirmed: the caller
    /// records it and then confirms, or refuses it when it cannot (RFC 9483 §4.1.1, the CA revokes what is refused).
    /// </summary>
    public Task<CmpPendingEnrollment> RequestAsync(byte[] certificationRequest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificationRequest);
        var request = CertificationRequest.GetInstance(Asn1Object.FromByteArray(certificationRequest));
        return RequestAsync(new PkiBody(PkiBody.TYPE_P10_CERT_REQ, request), PkiBody.TYPE_CERT_REP,
            request.GetCertificationRequestInfo().SubjectPublicKeyInfo, cancellationToken);
    }

    /// <summary>
    /// An RA's initialization request (ir) for <paramref name="publicKey"/> under <paramref name="subject"/>, with the
    /// RA's word for proof of possession (raVerified, RFC 9483 §4.1.1 and §5.2.2): Segel generated the key in custody, or
    /// checked the holder's CSR signature, so it vouches for the key where a key under the holder's passphrase could not
    /// sign a request itself. <paramref name="email"/> goes into the template's subjectAltName. An entity the upstream
    /// already certified (a renewal or re-issuance) is asked for with a certification request (cr) instead, as RFC 9483
    /// §4.1.2 has it for "an additional certificate"; the body is the same.
    /// </summary>
    public Task<CmpPendingEnrollment> RequestAsync(X500DistinguishedName subject, PublicKey publicKey, string? email, CancellationToken cancellationToken = default) =>
        RequestAsync(subject, publicKey, email, CmpEntity.New, cancellationToken);

    /// <inheritdoc cref="RequestAsync(X500DistinguishedName, PublicKey, string?, CancellationToken)"/>
    public Task<CmpPendingEnrollment> RequestAsync(X500DistinguishedName subject, PublicKey publicKey, string? email, CmpEntity entity,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(publicKey);
        var key = SubjectPublicKeyInfo.GetInstance(publicKey.ExportSubjectPublicKeyInfo());
        CertTemplateBuilder template = new CertTemplateBuilder().SetSubject(X509Name.GetInstance(subject.RawData)).SetSubjectPublicKeyInfo(key);
        if (!string.IsNullOrEmpty(email))
        {
            template.SetExtensions(new X509Extensions(new Dictionary<DerObjectIdentifier, Org.BouncyCastle.Asn1.X509.X509Extension>
            {
                [X509Extensions.SubjectAlternativeName] = new(false, new DerOctetString(new GeneralNames(new GeneralName(GeneralName.Rfc822Name, email)))),
            }));
        }
        var message = new CertReqMsg(new CertRequest(0, template.Build(), null), new ProofOfPossession(), null);
        return entity == CmpEntity.Known
            ? RequestAsync(new PkiBody(PkiBody.TYPE_CERT_REQ, new CertReqMessages(message)), PkiBody.TYPE_CERT_REP, key, cancellationToken)
            : RequestAsync(new PkiBody(PkiBody.TYPE_INIT_REQ, new CertReqMessages(message)), PkiBody.TYPE_INIT_REP, key, cancellationToken);
    }

    private async Task<CmpPendingEnrollment> RequestAsync(PkiBody body, int answerType, SubjectPublicKeyInfo requestedKey, CancellationToken cancellationToken)
    {
        byte[] transaction = RandomNumberGenerator.GetBytes(16);
        byte[] nonce = RandomNumberGenerator.GetBytes(16);
        ProtectedPkiMessage answer = await ExchangeAsync(body, transaction, nonce, null, cancellationToken);
        CertRepMessage reply = answer.Body.Type == answerType
            ? CertRepMessage.GetInstance(answer.Body.Content)
            : throw Unexpected(answer, answerType == PkiBody.TYPE_INIT_REP ? "ip" : "cp");
        CertResponse response = reply.GetResponse().FirstOrDefault() ?? throw new CmpException("The upstream CA's answer holds no certificate response.");
        Refusal(response.Status);
        BcCertificate issued = response.CertifiedKeyPair?.CertOrEncCert?.Certificate?.X509v3PKCert is { } structure
            ? new BcCertificate(structure)
            : throw new CmpException("The upstream CA's answer holds no certificate (an encrypted one is not accepted).");
        // The chain comes in the answer's extraCerts (RFC 9483 §4.1.1), root certificates also in caPubs (for ir).
        List<X509Certificate2> cas = [.. (reply.GetCAPubs() ?? []).Select(c => c.GetEncoded()).Concat(answer.GetCertificates().Where(c => c.GetBasicConstraints() >= 0).Select(c => c.GetEncoded()))
            .DistinctBy(Convert.ToHexString).Select(X509CertificateLoader.LoadCertificate)];
        var pending = new CmpPendingEnrollment(this, new CmpEnrollment(X509CertificateLoader.LoadCertificate(issued.GetEncoded()), cas), issued,
            response.CertReqID.Value, transaction, answer.Header.SenderNonce?.GetOctets());
        if (!requestedKey.GetDerEncoded().AsSpan().SequenceEqual(issued.CertificateStructure.SubjectPublicKeyInfo.GetDerEncoded()))
        {
            await pending.RefuseAsync("the certificate is for another key than the request", PkiFailureInfo.BadCertTemplate, cancellationToken);
            throw new CmpException("The upstream CA returned a certificate for another key than the request; it was refused.");
        }
        return pending;
    }

    /// <summary>certConf for one issued certificate: accepted, or refused with a reason and failure bit; the CA's pkiConf closes the transaction.</summary>
    internal async Task ConfirmAsync(CmpPendingEnrollment pending, string? refusal, int failure, CancellationToken cancellationToken)
    {
        CertConfirmContent content;
        if (refusal is null)
        {
            var confirmation = new CertificateConfirmationContentBuilder();
            confirmation.AddAcceptedCertificate(pending.Issued, pending.RequestId);
            content = confirmation.Build().ToAsn1Structure();
        }
        else
        {
            byte[] hash = Org.BouncyCastle.Security.DigestUtilities.CalculateDigest("SHA256", pending.Issued.GetEncoded());
            content = CertConfirmContent.GetInstance(new DerSequence(new CertStatus(hash, pending.RequestId,
                new PkiStatusInfo(2, new PkiFreeText(refusal), new PkiFailureInfo(failure)))));
        }
        ProtectedPkiMessage closed = await ExchangeAsync(new PkiBody(PkiBody.TYPE_CERT_CONFIRM, content), pending.Transaction,
            RandomNumberGenerator.GetBytes(16), pending.ServerNonce, cancellationToken);
        if (closed.Body.Type != PkiBody.TYPE_CONFIRM)
        {
            throw Unexpected(closed, "pkiConf");
        }
    }

    /// <summary>Asks the upstream CA to revoke <paramref name="certificate"/> for <paramref name="reason"/> (rr → rp).</summary>
    public async Task RevokeAsync(X509Certificate2 certificate, RevocationReason reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var bc = new BcCertificate(certificate.RawData);
        CertTemplate template = new CertTemplateBuilder().SetIssuer(bc.IssuerDN).SetSerialNumber(new DerInteger(bc.SerialNumber)).Build();
        var extensions = new X509Extensions(new Dictionary<DerObjectIdentifier, Org.BouncyCastle.Asn1.X509.X509Extension>
        {
            [X509Extensions.ReasonCode] = new(false, new DerOctetString(new CrlReason((int)reason))),
        });
        var details = new RevDetails(template, extensions);
        ProtectedPkiMessage answer = await ExchangeAsync(new PkiBody(PkiBody.TYPE_REVOCATION_REQ, new RevReqContent(details)),
            RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16), null, cancellationToken);
        RevRepContent reply = answer.Body.Type == PkiBody.TYPE_REVOCATION_REP
            ? RevRepContent.GetInstance(answer.Body.Content)
            : throw Unexpected(answer, "rp");
        Refusal(reply.GetStatus().FirstOrDefault() ?? throw new CmpException("The upstream CA's revocation answer holds no status."));
    }

    /// <summary>Sends one protected request and returns the upstream's answer, checked: protected, this transaction, not an error.</summary>
    private async Task<ProtectedPkiMessage> ExchangeAsync(PkiBody body, byte[] transaction, byte[] nonce, byte[]? recipientNonce, CancellationToken cancellationToken)
    {
        var builder = new ProtectedPkiMessageBuilder(new GeneralName(new X509Name(_options.Sender.Name)), new GeneralName(new X509Name(_options.Recipient.Name)))
            .SetTransactionId(transaction)
            .SetSenderNonce(nonce)
            .SetMessageTime(_time.GetUtcNow().UtcDateTime)
            .SetBody(body);
        if (recipientNonce is not null)
        {
            builder.SetRecipNonce(recipientNonce);
        }
        if (_options.Reference is { Length: > 0 } reference)
        {
            builder.SetSenderKID(System.Text.Encoding.UTF8.GetBytes(reference));
        }
        ProtectedPkiMessage message = builder.Build(new PKMacBuilder().Build((_options.Secret ?? "").ToCharArray()));
        using var content = new ByteArrayContent(message.ToAsn1Message().GetDerEncoded());
        content.Headers.ContentType = PkixCmp;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        byte[] bytes;
        try
        {
            // A connection of its own for each message: CMP exchanges are few and far apart, and a kept-alive one that the
            // CA (or a proxy) closed meanwhile fails the next POST, which HttpClient does not retry — a lost revocation.
            using var request = new HttpRequestMessage(HttpMethod.Post, _options.Server) { Content = content };
            request.Headers.ConnectionClose = true;
            using HttpResponseMessage response = await _http.SendAsync(request, timeout.Token);
            bytes = await Validation.BoundedHttp.ReadAsync(response, MaxResponseBytes, timeout.Token)
                ?? throw new CmpException($"The upstream CA answered with more than {MaxResponseBytes / 1024} KiB.");
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new CmpException($"The upstream CA at {_options.Server} did not answer: {e.Message}", e);
        }
        GeneralPkiMessage general;
        try
        {
            general = new GeneralPkiMessage(bytes);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or InvalidCastException)
        {
            throw new CmpException("The upstream CA's answer is not a CMP message.", e);
        }
        if (!general.HasProtection || new ProtectedPkiMessage(general) is not { } answer || !Protected(answer))
        {
            throw new CmpException("The upstream CA's answer is not protected with the shared secret or by a trusted responder; it was not believed.");
        }
        if (!answer.Header.TransactionID.GetOctets().AsSpan().SequenceEqual(transaction)
            || answer.Header.RecipNonce?.GetOctets() is not { } echoed || !echoed.AsSpan().SequenceEqual(nonce))
        {
            throw new CmpException("The upstream CA's answer belongs to another transaction (transactionID or nonce differ).");
        }
        if (answer.Body.Type == PkiBody.TYPE_ERROR)
        {
            ErrorMsgContent error = ErrorMsgContent.GetInstance(answer.Body.Content);
            throw new CmpException($"The upstream CA refused: {Describe(error.PkiStatusInfo)}") { Refused = true };
        }
        return answer;
    }

    private bool Protected(ProtectedPkiMessage answer)
    {
        if (answer.Header.ProtectionAlg is null)
        {
            return false;
        }
        if (answer.HasPasswordBasedMacProtected)
        {
            if (string.IsNullOrEmpty(_options.Secret))
            {
                return false;
            }
            var parameters = PbmParameter.GetInstance(answer.Header.ProtectionAlg.Parameters);
            // A hostile iteration count would make verifying the MAC cost minutes; RFC 4211 suggests a few thousand at most.
            if (parameters.IterationCount.IntValueExact > 100_000)
            {
                return false;
            }
            return answer.Verify(new PKMacBuilder().SetParameters(parameters), _options.Secret.ToCharArray());
        }
        foreach (BcCertificate signer in answer.GetCertificates().Take(1))
        {
            using X509Certificate2 candidate = X509CertificateLoader.LoadCertificate(signer.GetEncoded());
            if (_options.TrustedResponders.Any(t => t.RawData.AsSpan().SequenceEqual(candidate.RawData))
                && answer.Verify(new Org.BouncyCastle.Crypto.Operators.Asn1VerifierFactory(answer.Header.ProtectionAlg, signer.GetPublicKey())))
            {
                return true;
            }
        }
        return false;
    }

    private static void Refusal(PkiStatusInfo status)
    {
        int value = status.Status.IntValueExact;
        if (value is 0 or 1)
        {
            return; // accepted, or granted with modifications
        }
        throw new CmpException(value == 3
            ? "The upstream CA put the request on hold (waiting); Segel does not poll, try again later."
            : $"The upstream CA refused: {Describe(status)}") { Refused = value != 3 };
    }

    private static string Describe(PkiStatusInfo status)
    {
        string text = status.StatusString is { } free ? string.Join(" ", Enumerable.Range(0, free.Count).Select(i => free[i].GetString())) : "";
        string bits = status.FailInfo is { } fail ? $" (failInfo {FailNames(fail)})" : "";
        return (text.Length > 0 ? text : $"PKIStatus {status.Status.IntValueExact}") + bits;
    }

    private static string FailNames(DerBitString fail)
    {
        string[] names = ["badAlg", "badMessageCheck", "badRequest", "badTime", "badCertId", "badDataFormat", "wrongAuthority", "incorrectData",
            "missingTimeStamp", "badPOP", "certRevoked", "certConfirmed", "wrongIntegrity", "badRecipientNonce", "timeNotAvailable",
            "unacceptedPolicy", "unacceptedExtension", "addInfoNotAvailable", "badSenderNonce", "badCertTemplate", "signerNotTrusted",
            "transactionIdInUse", "unsupportedVersion", "notAuthorized", "systemUnavail", "systemFailure", "duplicateCertReq"];
        byte[] bytes = fail.GetBytes();
        return string.Join(",", names.Where((_, i) => i / 8 < bytes.Length && (bytes[i / 8] & (0x80 >> (i % 8))) != 0).DefaultIfEmpty("none"));
    }

    private static CmpException Unexpected(ProtectedPkiMessage answer, string expected) =>
        new($"The upstream CA answered with CMP body type {answer.Body.Type}, not {expected}.");
}
