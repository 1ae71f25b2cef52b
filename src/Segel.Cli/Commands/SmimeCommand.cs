using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using MimeKit;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.SecureMail;
using Segel.Pki.Validation;

namespace Segel.Cli.Commands;

/// <summary>`segel smime sign|verify|encrypt|decrypt`: S/MIME messages (RFC 8551) for holders.</summary>
internal static class SmimeCommand
{
    private const int MaxMessageBytes = 64 * 1024 * 1024;

    public static Command Create()
    {
        var signIn = new Option<string>("--in") { Description = "The message (RFC 5322, .eml) to sign.", Required = true, HelpName = "FILE" };
        var signOut = new Option<string>("--out") { Description = "Where to write the signed message.", Required = true, HelpName = "FILE" };
        var p12 = new Option<string>("--p12") { Description = "The signer's PKCS#12 (certificate, key and chain).", Required = true, HelpName = "FILE" };
        var passwordFile = new Option<string>("--password-file") { Description = "A file holding the PKCS#12 password.", Required = true, HelpName = "FILE" };
        var sign = new Command("sign", "Sign a message (multipart/signed, SHA-256), readable by any mail client.") { signIn, signOut, p12, passwordFile };
        sign.SetAction(async (result, cancellationToken) =>
        {
            (X509Certificate2 signer, List<X509Certificate2> chain) = CertificateFiles.ReadPkcs12(result.GetValue(p12)!, result.GetValue(passwordFile));
            MimeMessage message = await LoadAsync(result.GetValue(signIn)!, cancellationToken);
            try
            {
                message = SecureMail.Sign(message, signer, chain);
            }
            catch (ArgumentException e)
            {
                throw new SegelException(ErrorKind.Invalid, $"{e.Message.Split(" (Parameter")[0]}", "--in");
            }
            await Write(message, result.GetValue(signOut)!, cancellationToken);
            Console.WriteLine($"Signed {result.GetValue(signOut)} as {signer.GetNameInfo(X509NameType.SimpleName, false)}.");
            return 0;
        });

        var file = new Argument<string>("FILE") { Description = "The signed message." };
        var trust = new Option<string>("--trust") { Description = "PEM file of trusted root certificates (e.g. `segel ca chain` output).", Required = true, HelpName = "CHAIN.pem" };
        var offline = new Option<bool>("--offline") { Description = "Fetch no revocation status." };
        var data = CommonOptions.Data();
        data.Description = "Take revocation status of Segel's own certificates from this data folder, and trust its roots and configured TrustAnchors beside --trust; an outside CA's status is still fetched unless --offline.";
        var verify = new Command("verify", "Check a signed message's signatures, chains and revocation; exit 0 only when all are valid.") { file, trust, offline, data };
        verify.SetAction(async (result, cancellationToken) =>
        {
            List<X509Certificate2> anchors = CertificateFiles.Read(result.GetValue(trust)!, "--trust");
            MimeMessage message = await LoadAsync(result.GetValue(file)!, cancellationToken);
            using ConsoleCore? local = result.GetValue(data) is not null ? await CommonOptions.OpenExistingAsync(CommonOptions.Folder(result, data), cancellationToken) : null;
            RevocationEvidence evidence = await CommonOptions.VerificationEvidenceAsync(local, result.GetValue(offline), anchors, cancellationToken);
            IReadOnlyList<MailSignature> signatures;
            try
            {
                signatures = await SecureMail.VerifyAsync(message, anchors, evidence, DateTimeOffset.UtcNow, cancellationToken);
            }
            catch (ArgumentException e)
            {
                throw new SegelException(ErrorKind.Invalid, $"{e.Message.Split(" (Parameter")[0]}", "FILE");
            }
            foreach (MailSignature signature in signatures)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(signature.Valid ? "VALID" : signature.SignatureIntact ? "INDETERMINATE" : "INVALID")}: {signature.Signer}"));
                foreach (Finding finding in signature.Findings)
                {
                    Console.WriteLine($"  - {finding}");
                }
            }
            return signatures.Count > 0 && signatures.All(s => s.Valid) ? 0 : PdfCommand.NotValid;
        });

        var encryptIn = new Option<string>("--in") { Description = "The message to encrypt.", Required = true, HelpName = "FILE" };
        var encryptOut = new Option<string>("--out") { Description = "Where to write the encrypted message.", Required = true, HelpName = "FILE" };
        var to = new Option<string[]>("--to") { Description = "A recipient's certificate (PEM or DER); repeat for several.", Required = true, HelpName = "CERT" };
        var encrypt = new Command("encrypt", "Encrypt a message to recipients' certificates (AES-256-CBC; RSA-OAEP for RSA keys, ECDH for EC keys).") { encryptIn, encryptOut, to };
        encrypt.SetAction(async (result, cancellationToken) =>
        {
            List<X509Certificate2> recipients = [.. result.GetValue(to)!.SelectMany(f => CertificateFiles.Read(f, "--to"))];
            MimeMessage message = await LoadAsync(result.GetValue(encryptIn)!, cancellationToken);
            try
            {
                message = SecureMail.Encrypt(message, recipients);
            }
            catch (ArgumentException e)
            {
                throw new SegelException(ErrorKind.Invalid, $"{e.Message.Split(" (Parameter")[0]}", "--to");
            }
            await Write(message, result.GetValue(encryptOut)!, cancellationToken);
            Console.WriteLine($"Encrypted {result.GetValue(encryptOut)}.");
            return 0;
        });

        var decryptIn = new Option<string>("--in") { Description = "The encrypted message.", Required = true, HelpName = "FILE" };
        var decryptOut = new Option<string>("--out") { Description = "Where to write the decrypted message.", Required = true, HelpName = "FILE" };
        var decryptP12 = new Option<string>("--p12") { Description = "The recipient's PKCS#12.", Required = true, HelpName = "FILE" };
        var decryptPassword = new Option<string>("--password-file") { Description = "A file holding the PKCS#12 password.", Required = true, HelpName = "FILE" };
        var decrypt = new Command("decrypt", "Decrypt a message encrypted to your certificate.") { decryptIn, decryptOut, decryptP12, decryptPassword };
        decrypt.SetAction(async (result, cancellationToken) =>
        {
            X509Certificate2 recipient = CertificateFiles.ReadPkcs12(result.GetValue(decryptP12)!, result.GetValue(decryptPassword)).Owner;
            MimeMessage message = await LoadAsync(result.GetValue(decryptIn)!, cancellationToken);
            try
            {
                await Write(SecureMail.Decrypt(message, recipient), result.GetValue(decryptOut)!, cancellationToken);
            }
#pragma warning disable CA1031 // MimeKit and BouncyCastle report a wrong key or damaged message with many exception types; each means the same here
            catch (Exception e) when (e is not (OutOfMemoryException or SegelException))
#pragma warning restore CA1031
            {
                throw new SegelException(ErrorKind.Invalid, $"The message does not decrypt with this key: {e.Message.Split(" (Parameter")[0]}", "--in");
            }
            Console.WriteLine($"Decrypted {result.GetValue(decryptOut)}.");
            return 0;
        });
        return new Command("smime", "Sign, verify, encrypt and decrypt e-mail (S/MIME).") { sign, verify, encrypt, decrypt };
    }

    private static async Task<MimeMessage> LoadAsync(string path, CancellationToken cancellationToken)
    {
        byte[] bytes = CommonOptions.ReadFile(path, "message", MaxMessageBytes);
        try
        {
            using var stream = new MemoryStream(bytes);
            return await MimeMessage.LoadAsync(stream, cancellationToken);
        }
        catch (FormatException)
        {
            throw new SegelException(ErrorKind.Invalid, $"{path} is not an e-mail message (RFC 5322).", "--in");
        }
    }

    private static async Task Write(MimeMessage message, string path, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await message.WriteToAsync(buffer, cancellationToken);
        CommonOptions.WriteFile(path, buffer.ToArray());
    }
}
