namespace Segel.Core.Storage;

/// <summary>
/// A setting changed in the portal or API, stored in the database so every node of a cluster reads the same
/// value; it overrides the same setting in segel.json. <see cref="Value"/> is JSON.
/// </summary>
internal sealed class SettingRecord : ISealedRow
{
    public string SealTable => "settings";

    public string SealKind => "setting";

    public string SealKey => Key;

    public void WriteSealed(SealWriter writer)
    {
        writer.Add(Key);
        writer.Add(Value);
        writer.Add(ChangedBy);
    }

    public byte[]? Seal { get; set; }

    public required string Key { get; set; }

    public required string Value { get; set; }

    public DateTimeOffset ChangedAt { get; set; }

    public required string ChangedBy { get; set; }
}
