namespace Segel.Cli.Demo;

/// <summary>
/// The wall clock moved back by a settable amount: the demonstration builds two years of history (certificates
/// that now expire, or expired) by living through it, with every rule and signature made at its own time.
/// </summary>
internal sealed class DemoClock : TimeProvider
{
    public TimeSpan Behind { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() - Behind;
}
