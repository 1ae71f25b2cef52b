using System.Security.Cryptography;
using Org.BouncyCastle.Tsp;
using Segel.Testing;

namespace Segel.Core.Tests.Security;

/// <summary>Rejected requests leave nothing behind: a granted reply is the same size after a thousand of them.</summary>
public sealed class TimeStampReplyTests
{
    [Fact]
    public async Task Reply_size_stays_constant_after_a_thousand_garbage_requests()
    {
        using TestCa test = await TestCa.CreateAsync();
        var generator = new TimeStampRequestGenerator();
        generator.SetCertReq(true);
        byte[] request = generator.Generate(TspAlgorithms.Sha256, SHA256.HashData("surat"u8)).GetEncoded();

        byte[] before = await test.Ca.TimeStamps.RespondAsync(request);
        byte[] rejectedBefore = await test.Ca.TimeStamps.RespondAsync("bukan permintaan"u8.ToArray());
        for (int i = 0; i < 1000; i++)
        {
            await test.Ca.TimeStamps.RespondAsync(RandomNumberGenerator.GetBytes(1 + i % 300));
        }
        byte[] after = await test.Ca.TimeStamps.RespondAsync(request);
        byte[] rejectedAfter = await test.Ca.TimeStamps.RespondAsync("bukan permintaan"u8.ToArray());

        Assert.Equal(0, new TimeStampResponse(after).Status);
        // A few bytes move by themselves: the serial is random (a leading zero byte may drop), the time's
        // fraction of a second drops trailing zeros (".12Z" for ".120Z"), an ECDSA signature's DER varies by a
        // byte or two. What a leak would add — a certificate, a kept request — is hundreds.
        Assert.InRange(after.Length, before.Length - 8, before.Length + 8);
        Assert.Equal(rejectedBefore.Length, rejectedAfter.Length);
        Assert.Equal("Operation Okay", new TimeStampResponse(after).GetStatusString());
    }
}
