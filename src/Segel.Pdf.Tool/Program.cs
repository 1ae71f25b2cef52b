using System.CommandLine;
using Segel.Pdf.Commands;

namespace Segel.Pdf.Tool;

internal static class Program
{
    private const string Name = "segel-pdf";

    private static async Task<int> Main(string[] args)
    {
        var commands = new PdfCommandSet();
        var root = new RootCommand("segel-pdf: sign PDF documents (PAdES) with a PKCS#12, check their signatures and extend them for the long term — Segel's `pdf` commands as one fast program.")
        {
            commands.CreateSign(),
            commands.CreateVerify(),
            commands.CreateExtend(),
        };
        return await CommandRunner.RunAsync(Name, root, args);
    }
}
