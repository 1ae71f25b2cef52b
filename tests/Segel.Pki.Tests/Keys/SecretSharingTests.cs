using System.Security.Cryptography;
using Segel.Pki.Keys;
using Segel.Testing;

namespace Segel.Pki.Tests.Keys;

/// <summary>Shamir's shares, checked against Debian's libgfshare tools (gfsplit, gfcombine), which nobody here wrote.</summary>
public sealed class SecretSharingTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Any_two_of_three_shares_rebuild_the_secret_and_one_does_not()
    {
        byte[] secret = RandomNumberGenerator.GetBytes(32);
        IReadOnlyList<SecretShare> shares = SecretSharing.Split(secret, 2, 3);
        Assert.Equal([1, 2, 3], shares.Select(s => (int)s.X));
        Assert.Equal(secret, SecretSharing.Combine([shares[0], shares[1]]));
        Assert.Equal(secret, SecretSharing.Combine([shares[2], shares[0]]));
        Assert.Equal(secret, SecretSharing.Combine(shares));
        Assert.NotEqual(secret, SecretSharing.Combine([shares[1]]));
        Assert.All(shares, s => Assert.NotEqual(secret, s.Y));
    }

    [Fact]
    public void Three_of_five_needs_three()
    {
        byte[] secret = RandomNumberGenerator.GetBytes(48);
        IReadOnlyList<SecretShare> shares = SecretSharing.Split(secret, 3, 5);
        Assert.Equal(secret, SecretSharing.Combine([shares[4], shares[1], shares[3]]));
        Assert.NotEqual(secret, SecretSharing.Combine([shares[4], shares[1]]));
    }

    [Fact]
    public void Gfcombine_rebuilds_what_segel_split()
    {
        byte[] secret = RandomNumberGenerator.GetBytes(32);
        IReadOnlyList<SecretShare> shares = SecretSharing.Split(secret, 2, 3);
        foreach (SecretShare share in shares)
        {
            File.WriteAllBytes(_dir.File($"kunci.{share.X:000}"), share.Y);
        }
        Tool.Result combined = Tool.Run("gfcombine", "-o", _dir.File("back"), _dir.File("kunci.003"), _dir.File("kunci.001"));
        Assert.True(combined.ExitCode == 0, combined.Output);
        Assert.Equal(secret, File.ReadAllBytes(_dir.File("back")));
    }

    [Fact]
    public void Segel_rebuilds_what_gfsplit_split()
    {
        byte[] secret = RandomNumberGenerator.GetBytes(64);
        File.WriteAllBytes(_dir.File("rahasia"), secret);
        Tool.Result split = Tool.Run("gfsplit", "-n", "3", "-m", "5", _dir.File("rahasia"), _dir.File("bagian"));
        Assert.True(split.ExitCode == 0, split.Output);
        SecretShare[] shares = Directory.GetFiles(_dir.Path, "bagian.*")
            .Select(f => new SecretShare(byte.Parse(Path.GetExtension(f)[1..], System.Globalization.CultureInfo.InvariantCulture), File.ReadAllBytes(f)))
            .ToArray();
        Assert.Equal(5, shares.Length);
        Assert.Equal(secret, SecretSharing.Combine(shares[..3]));
        Assert.Equal(secret, SecretSharing.Combine(shares[2..]));
    }

    [Fact]
    public void Impossible_splits_and_bad_shares_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SecretSharing.Split([1, 2], 1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => SecretSharing.Split([1, 2], 4, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => SecretSharing.Split([1, 2], 2, 256));
        Assert.Throws<ArgumentException>(() => SecretSharing.Split([], 2, 3));
        IReadOnlyList<SecretShare> shares = SecretSharing.Split([1, 2, 3], 2, 3);
        Assert.Throws<ArgumentException>(() => SecretSharing.Combine([shares[0], shares[0]]));
        Assert.Throws<ArgumentException>(() => SecretSharing.Combine([shares[0], new SecretShare(0, [1, 2, 3])]));
        Assert.Throws<ArgumentException>(() => SecretSharing.Combine([shares[0], new SecretShare(9, [1, 2])]));
        Assert.Throws<ArgumentException>(() => SecretSharing.Combine([]));
    }

    public void Dispose() => _dir.Dispose();
}
