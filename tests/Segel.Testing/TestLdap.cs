using Segel.Core.Configuration;

namespace Segel.Testing;

/// <summary>
/// The real OpenLDAP directory (Debian's slapd) that scripts/test.sh starts, read with OpenLDAP's own ldapsearch. Each
/// test gets a branch of its own under ou=people, so tests running at once never see each other's entries.
/// </summary>
public static class TestLdap
{
    public static string Url => Environment.GetEnvironmentVariable("SEGEL_TEST_LDAP") is { Length: > 0 } url
        ? url
        : throw new InvalidOperationException("Directory tests need SEGEL_TEST_LDAP. Run scripts/test.sh, which starts slapd (scripts/ldap.sh).");

    private static string Env(string name) => Environment.GetEnvironmentVariable(name)
        ?? throw new InvalidOperationException($"Directory tests need {name}. Run scripts/test.sh, which starts slapd (scripts/ldap.sh).");

    /// <summary>A new branch for one test, made with ldapadd as the directory's administrator would, and options that publish to it.</summary>
    public static DirectoryOptions NewBranch()
    {
        string branch = $"ou=t{Guid.NewGuid():N},{Env("SEGEL_TEST_LDAP_BASE")}";
        string name = branch[3..branch.IndexOf(',', StringComparison.Ordinal)];
        Tool.Run("ldapadd", ["-x", "-H", Url, "-D", Env("SEGEL_TEST_LDAP_BIND_DN"), "-y", Env("SEGEL_TEST_LDAP_PASSWORD_FILE")],
            stdin: $"dn: {branch}\nobjectClass: organizationalUnit\nou: {name}\n").Check();
        return new DirectoryOptions
        {
            Url = Url,
            BaseDn = branch,
            BindDn = Env("SEGEL_TEST_LDAP_BIND_DN"),
            BindPassword = File.ReadAllText(Env("SEGEL_TEST_LDAP_PASSWORD_FILE")),
            PollSeconds = 1,
        };
    }

    /// <summary>
    /// The DER certificates an anonymous ldapsearch finds for <paramref name="filter"/> under <paramref name="branch"/> —
    /// what a mail client reading the directory gets.
    /// </summary>
    public static IReadOnlyList<byte[]> Certificates(string branch, string filter)
    {
        string ldif = Tool.Run("ldapsearch", ["-x", "-LLL", "-o", "ldif-wrap=no", "-H", Url, "-b", branch, filter, "userCertificate;binary"]).Check().Stdout;
        return [.. ldif.Split('\n').Where(l => l.StartsWith("userCertificate;binary:: ", StringComparison.Ordinal))
            .Select(l => Convert.FromBase64String(l["userCertificate;binary:: ".Length..].Trim()))];
    }

    /// <summary>Waits until <paramref name="done"/> holds of what ldapsearch finds, or fails after <paramref name="within"/>.</summary>
    public static async Task<IReadOnlyList<byte[]>> WaitAsync(string branch, string filter, Func<IReadOnlyList<byte[]>, bool> done, TimeSpan within)
    {
        DateTime deadline = DateTime.UtcNow + within;
        while (true)
        {
            IReadOnlyList<byte[]> found = Certificates(branch, filter);
            if (done(found))
            {
                return found;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"ldapsearch {filter} under {branch} still found {found.Count} certificate(s) after {within.TotalSeconds} s.");
            }
            await Task.Delay(200);
        }
    }
}
