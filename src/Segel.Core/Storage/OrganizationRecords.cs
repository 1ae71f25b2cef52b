namespace Segel.Core.Storage;

/// <summary>A Perangkat Daerah (regional government agency).</summary>
internal sealed class AgencyRecord : ISealedRow
{
    public string SealTable => "agencies";

    public string SealKind => "agency";

    public string SealKey => Code;

    public bool KeyFromStore => true;

    /// <summary>The number employees and accounts point at, with the code and name it stands for.</summary>
    public void WriteSealed(SealWriter writer)
    {
        writer.Add(Id);
        writer.Add(Code);
        writer.Add(Name);
    }

    public byte[]? Seal { get; set; }

    public int Id { get; set; }

    /// <summary>Short stable code used in imports, e.g. <c>DISKOMINFO</c>; unique.</summary>
    public required string Code { get; set; }

    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A Unit Kerja inside an agency; (agency, name) is unique.</summary>
internal sealed class WorkUnitRecord : ISealedRow
{
    public string SealTable => "work_units";

    public string SealKind => "work-unit";

    public string SealKey => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public bool KeyFromStore => true;

    public void WriteSealed(SealWriter writer)
    {
        writer.Add(Id);
        writer.Add(AgencyId);
        writer.Add(Name);
    }

    public byte[]? Seal { get; set; }

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
        if (Status != 0)
        {
            writer.Add(Status); // only when not active: employees sealed before the status existed keep their seal
        }
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

    /// <summary>The personnel file's employment status (<see cref="Kernel.EmploymentStatus"/>); 0 is active.</summary>
    public int Status { get; set; }

    /// <summary>
    /// Name, NIP and e-mail folded for search (<see cref="SearchText.Fold"/>), set by the context on every save; not
    /// sealed, being derived from what is.
    /// </summary>
    public string SearchText { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
