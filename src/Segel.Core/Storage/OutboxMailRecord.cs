namespace Segel.Core.Storage;

/// <summary>
/// An e-mail written in the same transaction as the change it reports, and delivered afterwards: a notice is
/// never lost to a crash after the commit, nor sent for a change that rolled back.
/// </summary>
internal sealed class OutboxMailRecord
{
    public long Id { get; set; }

    public required string To { get; set; }

    public required string Subject { get; set; }

    /// <summary>Left from before bodies were sealed; new mail never writes it, and sealing at start empties it.</summary>
    public string? Body { get; set; }

    /// <summary>The body sealed at rest (it may hold a one-time code); erased once the message is delivered.</summary>
    public byte[]? SealedBody { get; set; }

    /// <summary>
    /// A body encrypted to the recipient before it was queued (S/MIME enveloped data, DER): only the recipient's key opens
    /// it, so it is kept as it is until delivered, then erased like any body.
    /// </summary>
    public byte[]? EncryptedBody { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>A node claimed it until then; another node may take it over after.</summary>
    public DateTimeOffset? ClaimedUntil { get; set; }

    /// <summary>Which delivery round claimed the message: a round claims all its messages in one update, then reads back its own.</summary>
    public Guid? ClaimToken { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }
}
