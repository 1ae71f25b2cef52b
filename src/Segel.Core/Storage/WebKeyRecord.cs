namespace Segel.Core.Storage;

/// <summary>
/// One key of the web host's key ring (ASP.NET Core data protection: anti-forgery tokens, sign-on cookies), shared by
/// every node of a cluster. <see cref="Sealed"/> is its XML sealed under the master key; keys are only ever added.
/// </summary>
internal sealed class WebKeyRecord
{
    public long Id { get; set; }

    /// <summary>The key's name as the key manager gives it (its id); the seal is bound to it.</summary>
    public required string Name { get; set; }

    public required byte[] Sealed { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
