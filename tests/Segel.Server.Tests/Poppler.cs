using Segel.Testing;

namespace Segel.Server.Tests;

/// <summary>poppler's pdfsig (with an NSS database that trusts Segel's root) and qpdf judging a signed PDF.</summary>
internal static class Poppler
{
    /// <summary>An NSS database trusting Segel's root, for pdfsig.</summary>
    public static async Task<string> NssTrustingSegelAsync(InProcessServer server)
    {
        using HttpClient anonymous = server.Client();
        string chain = await anonymous.GetStringAsync("/ca/chain.pem");
        string root = server.Directory.File("root.pem");
        await File.WriteAllTextAsync(root, chain[chain.LastIndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)..]);
        string nss = server.Directory.File("nss");
        Directory.CreateDirectory(nss);
        Tool.Run("certutil", "-N", "-d", nss, "--empty-password").Check();
        Tool.Run("certutil", "-A", "-n", "Segel Root", "-t", "CT,C,C", "-i", root, "-d", nss).Check();
        return nss;
    }

    /// <summary>qpdf finds the file sound; pdfsig finds the signature valid and its certificate trusted (and, below B-LT, covering the whole file).</summary>
    public static void Accepts(string path, string nss, bool whole = false)
    {
        Tool.Run("qpdf", "--check", path).Check();
        Tool.Result pdfsig = Tool.Run("pdfsig", "-nssdir", nss, path);
        Assert.True(pdfsig.Output.Contains("Signature Validation: Signature is Valid.", StringComparison.Ordinal), pdfsig.Output);
        Assert.True(pdfsig.Output.Contains("Certificate Validation: Certificate is Trusted.", StringComparison.Ordinal), pdfsig.Output);
        if (whole)
        {
            Assert.True(pdfsig.Output.Contains("Total document signed", StringComparison.Ordinal), pdfsig.Output);
        }
    }
}
