using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Accounts;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Core.Tests.Accounts;

/// <summary>The web host's key ring: shared by the nodes through the database, and never there in clear.</summary>
public sealed class WebKeyRingTests
{
    private const string Xml = "<key id=\"1b6cc2f4\"><descriptor><masterKey><value>c2VjcmV0LWtleS1tYXRlcmlhbA==</value></masterKey></descriptor></key>";

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_key_one_node_stores_another_reads_and_the_database_holds_it_sealed_to_its_name(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        var ring = new WebKeyRing(test.Ca.Database, test.Ca.PersonalData, test.Time);
        ring.Add("key-1b6cc2f4", Xml);
        using (SegelCa second = test.OpenSecondNode())
        {
            Assert.Equal([Xml], new WebKeyRing(second.Database, second.PersonalData, test.Time).ReadAll());
        }

        await using SegelDbContext db = test.Ca.Database.CreateContext();
        WebKeyRecord stored = await db.WebKeys.SingleAsync();
        Assert.DoesNotContain("c2VjcmV0", Encoding.UTF8.GetString(stored.Sealed), StringComparison.Ordinal);
        Assert.DoesNotContain("masterKey", Encoding.UTF8.GetString(stored.Sealed), StringComparison.Ordinal);
        // The seal is bound to the key's name: a row renamed in the database does not open.
        stored.Name = "key-other";
        await db.SaveChangesAsync();
        Assert.ThrowsAny<CryptographicException>(() => ring.ReadAll());
    }
}
