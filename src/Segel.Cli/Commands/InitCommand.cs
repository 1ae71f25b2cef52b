using System.CommandLine;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Server.Hosting;

namespace Segel.Cli.Commands;

internal static class InitCommand
{
    public static Command Create()
    {
        Option<string?> data = CommonOptions.Data();
        var baseUrl = new Option<string?>("--base-url") { Description = "Public URL written into certificates (CRL, OCSP, CA issuers, CPS). Default http://127.0.0.1:8080.", HelpName = "URL" };
        var provider = new Option<string?>("--db-provider") { Description = "sqlite (default) or postgres.", HelpName = "NAME" };
        var connection = new Option<string?>("--db") { Description = "Database connection string (required for postgres).", HelpName = "CONNECTION" };
        var rootAlg = new Option<string?>("--root-algorithm") { Description = "rsa2048|rsa3072|rsa4096|ecdsa-p256|ecdsa-p384 (default rsa4096).", HelpName = "ALG" };
        var issuingAlg = new Option<string?>("--issuing-algorithm") { Description = "Issuing CA key (default rsa3072).", HelpName = "ALG" };
        var ocspAlg = new Option<string?>("--ocsp-algorithm") { Description = "OCSP responder key (default ecdsa-p256).", HelpName = "ALG" };
        var tsaAlg = new Option<string?>("--tsa-algorithm") { Description = "Time-stamping key (default rsa3072).", HelpName = "ALG" };
        var organization = new Option<string?>("--organization") { Description = "O= in every certificate (default Pemerintah Kabupaten Tanah Bumbu).", HelpName = "NAME" };
        var externalRoot = new Option<bool>("--external-root") { Description = "Stand under an outside root (the national CA's): make only the issuing CA's key and a certificate request for it; install what the outside CA issues with `segel ca install`." };
        var csr = new Option<string?>("--csr") { Description = "With --external-root: where to write the request (default DIR/issuing-ca.csr).", HelpName = "FILE" };

        var command = new Command("init", "Create a new CA (root, issuing CA, OCSP responder, TSA) in a data folder, or with --external-root an issuing CA waiting for an outside root's certificate. Never overwrites one.")
        {
            data, baseUrl, provider, connection, rootAlg, issuingAlg, ocspAlg, tsaAlg, organization, externalRoot, csr,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            DataFolder folder = CommonOptions.Folder(result, data);
            if (folder.HasConfig)
            {
                throw new SegelException(ErrorKind.Conflict, $"{folder.Path} already holds a Segel configuration; Segel never overwrites a CA.");
            }
            var overrides = new Dictionary<string, string?>
            {
                ["PublicBaseUrl"] = result.GetValue(baseUrl) ?? "http://127.0.0.1:8080",
            };
            void Set(string key, Option<string?> option)
            {
                if (result.GetValue(option) is { Length: > 0 } value)
                {
                    overrides[key] = value;
                }
            }
            Set("Database:Provider", provider);
            Set("Database:ConnectionString", connection);
            Set("Ca:RootAlgorithm", rootAlg);
            Set("Ca:IssuingAlgorithm", issuingAlg);
            Set("Ca:OcspAlgorithm", ocspAlg);
            Set("Ca:TsaAlgorithm", tsaAlg);
            Set("Ca:Organization", organization);
            bool external = result.GetValue(externalRoot);
            if (external && result.GetValue(rootAlg) is not null)
            {
                throw new SegelException(ErrorKind.Invalid, $"With --external-root the root is the outside CA's; leave out --root-algorithm.", "--root-algorithm");
            }
            if (!external && result.GetValue(csr) is not null)
            {
                throw new SegelException(ErrorKind.Invalid, $"--csr goes with --external-root.", "--csr");
            }
            if (external)
            {
                overrides["Ca:ExternalRoot"] = "true";
            }
            using (ConsoleCore ca = await ConsoleCore.OpenAsync(folder, overrides, TimeProvider.System, initializeIfMissing: true, cancellationToken))
            {
                if (!ca.Created)
                {
                    throw new SegelException(ErrorKind.Conflict, $"The configured database already holds a CA; Segel never overwrites one.");
                }
                if (external)
                {
                    string requestFile = result.GetValue(csr) ?? Path.Combine(folder.Path, "issuing-ca.csr");
                    byte[] request = await ca.Get<SubordinateCa>().RequestAsync(Segel.Core.Kernel.Principal.Console, cancellationToken);
                    CommonOptions.WriteFile(requestFile, System.Text.Encoding.ASCII.GetBytes(CaCommand.Pem(request)));
                    Console.WriteLine($"Created the issuing CA's key in {folder.Path}; it waits for its certificate from the outside root.");
                    Console.WriteLine($"  request: {requestFile}");
                    Console.WriteLine($"Have the outside CA sign it, then: segel ca install --data {folder.Path} --cert ISSUING.pem --chain CHAIN.pem");
                    return 0;
                }
                LoadedAuthority issuing = await ca.Get<Authorities>().GetActiveAsync(Segel.Core.Storage.AuthorityRole.IssuingCa, cancellationToken);
                Console.WriteLine($"Created a Segel CA in {folder.Path}");
                Console.WriteLine($"  issuing CA: {issuing.Certificate.Subject} (valid until {issuing.NotAfter:yyyy-MM-dd})");
                Console.WriteLine($"  public URL: {ca.Get<CaSettings>().Urls.BaseUrl}");
                Console.WriteLine($"Start it with: segel serve --data {folder.Path}");
            }
            return 0;
        });
        return command;
    }
}
