using Segel.Core.Errors;
using Sylvan.Data.Csv;
using Segel.Texts;

namespace Segel.Core.Organization;

/// <summary>One data line of an employee file, as typed.</summary>
internal sealed record EmployeeLine(int Line, string? Nip, string? Nik, string? Name, string? Position, string? AgencyCode,
    string? AgencyName, string? WorkUnit, string? Email, string? AgencyHead = null, string? Status = null, string? RetirementDate = null);

/// <summary>An employee file's lines, and which optional columns it has (a missing column changes nothing; an empty cell does).</summary>
internal sealed record EmployeeFile(List<EmployeeLine> Lines, bool HasAgencyHead, bool HasStatus);

/// <summary>
/// Reads employee CSV files as agencies export them: comma or semicolon separated (Excel in an Indonesian
/// locale writes semicolons), with a header row in English or Indonesian.
/// </summary>
internal static class EmployeeCsvReader
{
    public const int MaxRows = 200_000;

    // Each column's accepted header names, English first.
    private static readonly Dictionary<string, string[]> Columns = new()
    {
        ["nip"] = ["nip"],
        ["nik"] = ["nik"],
        ["name"] = ["name", "nama"],
        ["position"] = ["position", "jabatan"],
        ["agency_code"] = ["agency_code", "kode_pd", "kode_perangkat_daerah"],
        ["agency_name"] = ["agency_name", "nama_pd", "perangkat_daerah", "nama_perangkat_daerah"],
        ["work_unit"] = ["work_unit", "unit_kerja"],
        ["email"] = ["email", "surel", "e-mail"],
        ["agency_head"] = ["agency_head", "kepala_pd", "kepala_perangkat_daerah", "kepala"],
        ["status"] = ["status", "employment_status", "status_kepegawaian", "status_pegawai"],
        ["retirement_date"] = ["retirement_date", "tanggal_pensiun", "tmt_pensiun"],
    };

    private static readonly string[] Required = ["nip", "nik", "name", "agency_code", "email"];

    public static EmployeeFile Read(Stream csv)
    {
        using var text = new StreamReader(csv, detectEncodingFromByteOrderMarks: true);
        try
        {
            // Sylvan detects the delimiter (',' ';' tab '|') from the header row.
            using CsvDataReader reader = CsvDataReader.Create(text, new CsvDataReaderOptions { HasHeaders = true });
            if (reader.FieldCount <= 1 && string.IsNullOrWhiteSpace(reader.GetName(0)))
            {
                throw SegelException.Invalid("file", Localized.Of("Error.FileEmptyNeedsHeaderRow"));
            }
            Dictionary<string, int> index = MapHeader(Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray());
            var lines = new List<EmployeeLine>();
            while (reader.Read())
            {
                if (Enumerable.Range(0, reader.RowFieldCount).All(i => string.IsNullOrWhiteSpace(reader.GetString(i))))
                {
                    continue; // Excel leaves empty lines at the end
                }
                if (lines.Count == MaxRows)
                {
                    throw SegelException.Invalid("file", Localized.Of("Error.FileMoreRowsSplit", MaxRows));
                }
                for (int i = 0; i < reader.RowFieldCount; i++)
                {
                    // A NUL byte cannot be stored in PostgreSQL text, and no control character belongs in a personnel file:
                    // a file saved as something other than plain text (UTF-16, a spreadsheet's binary format) shows them.
                    if (reader.GetString(i).Any(c => char.IsControl(c) && c is not ('\t' or '\r' or '\n')))
                    {
                        throw SegelException.Invalid("file",
                            Localized.Of("Error.LineColumnHoldsControlCharacter", reader.RowNumber + 1, i + 1));
                    }
                }
                string? Field(string column) =>
                    index.TryGetValue(column, out int i) && i < reader.RowFieldCount && reader.GetString(i) is { } value && !string.IsNullOrWhiteSpace(value)
                        ? value.Trim()
                        : null;
                // Line in the file as a spreadsheet shows it: the header is line 1.
                lines.Add(new EmployeeLine(reader.RowNumber + 1, Field("nip"), Field("nik"), Field("name"), Field("position"),
                    Field("agency_code"), Field("agency_name"), Field("work_unit"), Field("email"), Field("agency_head"), Field("status"), Field("retirement_date")));
            }
            return new EmployeeFile(lines, index.ContainsKey("agency_head"), index.ContainsKey("status") || index.ContainsKey("retirement_date"));
        }
        catch (CsvFormatException e)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.FileNotReadableCsvNear", e.RowNumber, e.Message));
        }
    }

    private static Dictionary<string, int> MapHeader(string[] header)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < header.Length; i++)
        {
            string name = header[i].Trim().TrimStart('\uFEFF').ToLowerInvariant().Replace(' ', '_');
            foreach ((string column, string[] aliases) in Columns)
            {
                if (aliases.Contains(name) && !index.ContainsKey(column))
                {
                    index[column] = i;
                }
            }
        }
        string[] missing = Required.Where(c => !index.ContainsKey(c)).ToArray();
        if (missing.Length > 0)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.HeaderRowLacksColumnS", string.Join(", ", missing)));
        }
        return index;
    }
}
