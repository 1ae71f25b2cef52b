using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Segel.Core.Ca;
using Segel.Core.Configuration;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki.Certificates;
using Segel.Pki.Validation;
using Segel.Testing;

namespace Segel.Core.Tests.Ca;

/// <summary>
/// The CA over decades (issue 21.5): the issuing CA and the root roll over by themselves, with a fake clock that lives
/// through 25 years a month at a time, running what the server's jobs run. A holder's certificate is issued every year;
/// at every step every certificate still in its two years validates (Segel's validator, and OpenSSL's own each year),
/// every CA that still answers for a certificate has a current CRL and OCSP responder, and the TSA is valid.
/// </summary>
public sealed class RolloverTests
{
    private static readonly TimeSpan Step = TimeSpan.FromDays(30);

    private static void Quick(SegelOptions o)
    {
        // Small keys make the run quick; the rules are the same for every algorithm.
        o.Ca.RootAlgorithm = o.Ca.IssuingAlgorithm = o.Ca.TsaAlgorithm = o.Ca.SubscriberAlgorithm = "ecdsa-p256";
    }

    [Fact]
    public async Task Twenty_five_years_of_certificates_all_verifiable_at_every_moment_with_no_gap_in_CRLs()
    {
        using TestCa test = await TestCa.CreateAsync(configure: Quick);
        DateTimeOffset start = test.Time.GetUtcNow();
        var holders = new List<X509Certificate2>();
        for (int month = 0; month <= 25 * 12; month++)
        {
            DateTimeOffset now = test.Time.GetUtcNow();
            // The server's jobs: renewals hourly, CRLs when due.
            await test.Ca.ResponderRenewal.RenewDueAsync(Principal.System);
            await test.Ca.Crls.PublishDueAsync(await test.Ca.Ring.GetIssuersAsync());
            if (month % 12 == 0)
            {
                (IssuedCertificate issued, _) = await test.Ca.Issuance.IssueWithGeneratedKeyAsync(
                    new HolderDetails($"Pegawai Tahun {month / 12}", $"tahun{month / 12}@tanahbumbukab.go.id", "Dinas Komunikasi dan Informatika", $"1980010120050110{month / 12:00}"),
                    CertificateProfile.Subscriber, "kata-sandi-p12", Actor.System);
                Assert.Equal(now.AddYears(2).ToUnixTimeSeconds(), new DateTimeOffset(issued.Certificate.NotAfter).ToUnixTimeSeconds());
                holders.Add(issued.Certificate);
            }
            await AssertEverythingHoldsAsync(test, holders, now, openssl: month % 12 == 6);
            test.Time.Advance(Step);
        }

        IReadOnlyList<LoadedAuthority> all = await test.Ca.Ring.GetAllAsync();
        Assert.True(all.Count(a => a.Role == AuthorityRole.RootCa) >= 2, "the root rolled over");
        Assert.True(all.Count(a => a.Role == AuthorityRole.IssuingCa) >= 3, "the issuing CA rolled over more than once");
        Assert.Equal(2 * (all.Count(a => a.Role == AuthorityRole.RootCa) - 1), all.Count(a => a.Role == AuthorityRole.LinkCa));
        // The first issuing CA stopped publishing once the last certificate it issued had expired.
        LoadedAuthority first = all.First(a => a.Role == AuthorityRole.IssuingCa);
        Assert.False(await test.Ca.Crls.IsServingAsync(first));
        CrlView last = (await test.Ca.Crls.GetLatestAsync(first.Id))!;
        Assert.True(last.ThisUpdate < start.AddYears(11), $"the first issuing CA published a CRL on {last.ThisUpdate:u}");
        // Health does not count a retired CA's silence as an overdue CRL (once the job has run for the serving ones).
        await test.Ca.Crls.PublishDueAsync(await test.Ca.Ring.GetIssuersAsync());
        Assert.DoesNotContain((await test.Ca.Health.CheckAsync()).Warnings, w => w.Code == "crl-overdue");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_nodes_rolling_over_at_once_make_one_root_and_one_issuing_CA(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider, Quick);
        using SegelCa second = test.OpenSecondNode();
        await second.Ring.GetAllAsync(); // the second node has read the authorities before either rolls over
        test.Time.Advance(TimeSpan.FromDays(365.25 * 10 + 1)); // root and issuing CA both due
        await Task.WhenAll(
            Task.Run(() => test.Ca.ResponderRenewal.RenewDueAsync(Principal.System)),
            Task.Run(() => second.ResponderRenewal.RenewDueAsync(Principal.System)));
        test.Ca.Ring.Reset();
        IReadOnlyList<LoadedAuthority> all = await test.Ca.Ring.GetAllAsync();
        Assert.Single(all, a => a.Role == AuthorityRole.RootCa && a.Active);
        Assert.Single(all, a => a.Role == AuthorityRole.IssuingCa && a.Active);
        Assert.Equal(2, all.Count(a => a.Role == AuthorityRole.RootCa));
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        Assert.Equal(1, db.AuditRecords.Count(a => a.Action == "root-ca.renewed"));
        Assert.Equal(1, db.AuditRecords.Count(a => a.Action == "issuing-ca.renewed"));
    }

    private static async Task AssertEverythingHoldsAsync(TestCa test, List<X509Certificate2> holders, DateTimeOffset now, bool openssl)
    {
        IReadOnlyList<X509Certificate2> anchors = await test.Ca.Anchors.AllAsync();
        var evidence = new RevocationEvidence { Online = await test.Ca.LocalRevocation.CreateAsync(CancellationToken.None) };
        IReadOnlyList<LoadedAuthority> all = await test.Ca.Ring.GetAllAsync();
        foreach (X509Certificate2 holder in holders.Where(h => h.NotAfter.ToUniversalTime() > now.UtcDateTime))
        {
            PathResult result = await PathValidator.CheckAsync(new PathCheck(holder, anchors, now, evidence) { Extra = all.Select(a => a.Certificate) });
            Assert.True(result.Verdict == ChainVerdict.Trusted, $"{holder.Subject} on {now:yyyy-MM-dd}: {string.Join("; ", result.Findings)}");
            if (openssl)
            {
                string roots = test.Directory.Write("roots.pem", string.Concat(anchors.Select(a => a.ExportCertificatePem() + "\n")));
                string others = test.Directory.Write("others.pem", string.Concat(all.Where(a => a.Role != AuthorityRole.RootCa).Select(a => a.Certificate.ExportCertificatePem() + "\n")));
                string leaf = test.Directory.Write("leaf.pem", holder.ExportCertificatePem());
                Assert.Contains(": OK", Tool.OpenSslOk("verify", "-attime", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), "-x509_strict",
                    "-CAfile", roots, "-untrusted", others, leaf), StringComparison.Ordinal);
            }
        }
        foreach (LoadedAuthority issuer in await test.Ca.Ring.GetIssuersAsync())
        {
            if (!await test.Ca.Crls.IsServingAsync(issuer))
            {
                continue;
            }
            CrlView? crl = await test.Ca.Crls.GetLatestAsync(issuer.Id);
            Assert.True(crl is not null && crl.ThisUpdate <= now && crl.NextUpdate > now, $"{issuer.Slug} has no current CRL on {now:yyyy-MM-dd}");
            Assert.True(issuer.Certificate.NotAfter.ToUniversalTime() > now.UtcDateTime, $"{issuer.Slug} serves after its own end, on {now:yyyy-MM-dd}");
            if (issuer.Role == AuthorityRole.IssuingCa)
            {
                LoadedAuthority? responder = AuthorityRing.ActiveResponderFor(all, issuer);
                Assert.True(responder is not null && responder.Certificate.NotAfter.ToUniversalTime() > now.UtcDateTime, $"{issuer.Slug} has no valid OCSP responder on {now:yyyy-MM-dd}");
            }
        }
        LoadedAuthority tsa = await test.Ca.Ring.GetActiveAsync(AuthorityRole.TimeStamping);
        Assert.True(tsa.Certificate.NotBefore.ToUniversalTime() <= now.UtcDateTime && tsa.Certificate.NotAfter.ToUniversalTime() > now.UtcDateTime, $"no valid TSA on {now:yyyy-MM-dd}");
    }
}
