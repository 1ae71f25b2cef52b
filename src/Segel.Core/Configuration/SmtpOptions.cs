namespace Segel.Core.Configuration;

/// <summary>Where Segel sends e-mail notices (Pasal 17(4) and the lifecycle's reminders).</summary>
public sealed class SmtpOptions
{
    /// <summary>Empty: e-mail is not configured, and sending fails with a clear error.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary><c>starttls</c> (default), <c>tls</c> (implicit, port 465) or <c>none</c> (only for a relay on loopback).</summary>
    public string Security { get; set; } = "starttls";

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "Segel <segel@tanahbumbukab.go.id>";
}
