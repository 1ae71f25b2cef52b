namespace Segel.Core.Storage;

/// <summary>A Perangkat Daerah (regional government agency).</summary>
internal sealed class AgencyRecord
{
    public int Id { get; set; }

    /// <summary>Short stable code used in imports, e.g. <c>DISKOMINFO</c>; unique.</summary>
    public required string Code { get; set; }

    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A Unit Kerja inside an agency; (agency, name) is unique.</summary>
internal sealed class WorkUnitRecord
{
    public int Id { get; set; }

    public int AgencyId { get; set; }

    public required string Name { get; set; }
}

/// <summary>
/// A civil servant. The NIK is never stored in clear: <see cref="NikSealed"/> holds it encrypted and
/// <see cref="NikLookup"/> a keyed hash of it for lookups and uniqueness (see PersonalDataProtector).
/// </summary>
internal sealed class EmployeeRecord : ISealedRow
{
    public string SealTable => "employees";

    public string SealKind => "employee";

    public string SealKey => Nip;

    /// <summary>Identity and where the employee works: what a certificate for them names and who may act for them.</summary>
    public void WriteSealed(SealWriter writer)
    {
        writer.Add(Nip);
        writer.Add(NikLookup);
        writer.Add(Name);
        writer.Add(Position);
        writer.Add(AgencyId);
        writer.Add(WorkUnitId);
        writer.Add(Email);
    }

    public byte[]? Seal { get; set; }

    public long Id { get; set; }

    public required string Nip { get; set; }

    public required byte[] NikSealed { get; set; }

    public required byte[] NikLookup { get; set; }

    public required string Name { get; set; }

    public string? Position { get; set; }

    public int AgencyId { get; set; }

    public int? WorkUnitId { get; set; }

    /// <summary>Official e-mail on one of the government domains; unique.</summary>
    public required string Email { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
