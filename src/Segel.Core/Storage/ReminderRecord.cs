namespace Segel.Core.Storage;

/// <summary>One renewal reminder sent; unique per (certificate, days), which is what makes it once-only across nodes.</summary>
internal sealed class ReminderRecord
{
    public long Id { get; set; }

    public long CertificateId { get; set; }

    public int DaysBefore { get; set; }

    public DateTimeOffset At { get; set; }
}
