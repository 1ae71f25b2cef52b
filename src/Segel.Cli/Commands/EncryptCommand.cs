using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Segel.Core.Errors;
using Segel.Pki.Cms;

namespace Segel.Cli.Commands;

/// <summary>`segel encrypt|decrypt`: documents encrypted to holders' certificates (CMS EnvelopedData, as openssl cms reads it).</summary>
internal static class EncryptCommand
{
    public static Command CreateEncrypt()
    {
        var input = new Option<string>("--in") { Description = "The document to encrypt.", Required = true, HelpName = "FILE" };
        var output = new Option<string>("--out") { Description = "Where to write the encrypted document (DER CMS, .p7m).", Required = true, HelpName = "FILE" };
        var to = new Option<string[]>("--to") { Description = "A recipient's certificate (PEM or DER); repeat for several recipients.", Required = true, HelpName = "CERT", AllowMultipleArgumentsPerToken = false };
        var command = new Command("encrypt", "Encrypt a document to one or more holders' certificates (AES-256; RSA-OAEP or ECDH).") { input, output, to };
        command.SetAction((result, _) =>
        {
            List<X509Certificate2> recipients = [.. result.GetValue(to)!.SelectMany(file => CertificateFiles.Read(file, "--to"))];
            // Streamed from file to file: a document of any size costs a buffer, not its size in memory.
            using FileStream document = CommonOptions.OpenInput(result.GetValue(input)!, "document");
            try
            {
                CommonOptions.WriteStreamed(result.GetValue(output)!, envelope => DocumentEncryption.Encrypt(document, envelope, recipients), ownerOnly: false);
            }
            catch (ArgumentException e)
            {
                throw new SegelException(ErrorKind.Invalid, $"{e.Message.Split(" (Parameter")[0]}", "--to");
            }
            Console.WriteLine($"Encrypted {result.GetValue(output)} for {string.Join(", ", recipients.Select(r => r.GetNameInfo(X509NameType.SimpleName, false)))}.");
            return Task.FromResult(0);
        });
        return command;
    }

    public static Command CreateDecrypt()
    {
        var input = new Option<string>("--in") { Description = "The encrypted document (DER CMS).", Required = true, HelpName = "FILE" };
        var output = new Option<string>("--out") { Description = "Where to write the decrypted document.", Required = true, HelpName = "FILE" };
        var p12 = new Option<string>("--p12") { Description = "The recipient's PKCS#12 (certificate and key).", Required = true, HelpName = "FILE" };
        var passwordFile = new Option<string>("--password-file") { Description = "A file holding the PKCS#12 password.", Required = true, HelpName = "FILE" };
        var command = new Command("decrypt", "Decrypt a document encrypted to your certificate.") { input, output, p12, passwordFile };
        command.SetAction((result, _) =>
        {
            X509Certificate2 recipient = CertificateFiles.ReadPkcs12(result.GetValue(p12)!, result.GetValue(passwordFile)).Owner;
            using AsymmetricAlgorithm key = Segel.Pki.Keys.CertificateKeys.PrivateKeyOf(recipient)
                ?? throw new SegelException(ErrorKind.Invalid, $"The PKCS#12's key is neither RSA nor EC.", "--p12");
            try
            {
                // Streamed for an RSA key (an EC recipient's document is read whole); the opened document is its owner's to read only.
                using FileStream envelope = CommonOptions.OpenInput(result.GetValue(input)!, "encrypted document");
                CommonOptions.WriteStreamed(result.GetValue(output)!, plain => DocumentEncryption.Decrypt(envelope, plain, recipient, key), ownerOnly: true);
            }
            catch (DocumentEncryptionException e)
            {
                throw new SegelException(ErrorKind.Invalid, $"{e.Message}", "--in");
            }
            Console.WriteLine($"Decrypted {result.GetValue(output)}.");
            return Task.FromResult(0);
        });
        return command;
    }
}
