using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Segel.Core.Errors;
using Segel.Pki.Cms;

namespace Segel.Cli.Commands;

/// <summary>`segel encrypt|decrypt`: documents encrypted to holders' certificates (CMS EnvelopedData, as openssl cms reads it).</summary>
internal static class EncryptCommand
{
    private const int MaxDocumentBytes = 256 * 1024 * 1024;

    public static Command CreateEncrypt()
    {
        var input = new Option<string>("--in") { Description = "The document to encrypt.", Required = true, HelpName = "FILE" };
        var output = new Option<string>("--out") { Description = "Where to write the encrypted document (DER CMS, .p7m).", Required = true, HelpName = "FILE" };
        var to = new Option<string[]>("--to") { Description = "A recipient's certificate (PEM or DER); repeat for several recipients.", Required = true, HelpName = "CERT", AllowMultipleArgumentsPerToken = false };
        var command = new Command("encrypt", "Encrypt a document to one or more holders' certificates (AES-256, RSA-OAEP).") { input, output, to };
        command.SetAction((result, _) =>
        {
            var recipients = new List<X509Certificate2>();
            foreach (string file in result.GetValue(to)!)
            {
                byte[] bytes = CommonOptions.ReadFile(file, "certificate", 1024 * 1024);
                try
                {
                    var collection = new X509Certificate2Collection();
                    if (bytes.AsSpan().IndexOf("-----BEGIN"u8) >= 0)
                    {
                        collection.ImportFromPem(System.Text.Encoding.ASCII.GetString(bytes));
                    }
                    else
                    {
                        collection.Add(X509CertificateLoader.LoadCertificate(bytes));
                    }
                    recipients.AddRange(collection);
                }
                catch (CryptographicException)
                {
                    throw SegelException.Invalid("--to", $"{file} holds no readable certificate.");
                }
            }
            byte[] document = CommonOptions.ReadFile(result.GetValue(input)!, "document", MaxDocumentBytes);
            byte[] envelope;
            try
            {
                envelope = DocumentEncryption.Encrypt(document, recipients);
            }
            catch (ArgumentException e)
            {
                throw SegelException.Invalid("--to", $"{e.Message.Split(" (Parameter")[0]}");
            }
            CommonOptions.WriteFile(result.GetValue(output)!, envelope);
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
            X509Certificate2Collection all;
            try
            {
                all = X509CertificateLoader.LoadPkcs12Collection(CommonOptions.ReadFile(result.GetValue(p12)!, "PKCS#12", 1024 * 1024),
                    PdfCommand.PdfPassword(result.GetValue(passwordFile)), X509KeyStorageFlags.Exportable);
            }
            catch (CryptographicException)
            {
                throw SegelException.Invalid("--p12", $"The PKCS#12 cannot be opened: wrong password or not a PKCS#12 file.");
            }
            X509Certificate2 recipient = all.FirstOrDefault(c => c.HasPrivateKey) ?? throw SegelException.Invalid("--p12", $"The PKCS#12 holds no private key.");
            using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)recipient.GetRSAPrivateKey() ?? recipient.GetECDsaPrivateKey()
                ?? throw SegelException.Invalid("--p12", $"The PKCS#12's key is neither RSA nor EC.");
            try
            {
                byte[] plain = DocumentEncryption.Decrypt(CommonOptions.ReadFile(result.GetValue(input)!, "encrypted document", MaxDocumentBytes), recipient, key);
                CommonOptions.WriteFile(result.GetValue(output)!, plain);
            }
            catch (DocumentEncryptionException e)
            {
                throw SegelException.Invalid("--in", $"{e.Message}");
            }
            Console.WriteLine($"Decrypted {result.GetValue(output)}.");
            return Task.FromResult(0);
        });
        return command;
    }
}
