using System.Text;

namespace Segel.Core.Supervision;

/// <summary>
/// A table as CSV (RFC 4180, UTF-8 with a byte-order mark so spreadsheet programs read the names right), for the
/// reports and the audit record's export.
/// </summary>
public static class CsvTable
{
    public static byte[] Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        Append(text, header);
        foreach (IReadOnlyList<string> row in rows)
        {
            Append(text, row);
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    private static void Append(StringBuilder text, IReadOnlyList<string> row)
    {
        for (int i = 0; i < row.Count; i++)
        {
            text.Append(i == 0 ? "" : ",").Append(Field(row[i] ?? ""));
        }
        text.Append("\r\n");
    }

    // Quoted when it holds a comma, quote or line break; and a leading = + - @ is defused, so a reason an officer typed
    // cannot run as a formula in the spreadsheet that opens it.
    private static string Field(string value)
    {
        string safe = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' ? "'" + value : value;
        return safe.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }
}
