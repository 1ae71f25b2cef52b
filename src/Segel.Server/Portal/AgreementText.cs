namespace Segel.Server.Portal;

/// <summary>
/// The subscriber agreement as paragraphs that reflow on any screen. Its text is kept exactly as published (its hash
/// is what a holder accepts), laid out for a fixed-width file: a line that starts at the margin begins a paragraph,
/// an indented one continues the paragraph above.
/// </summary>
public static class AgreementText
{
    public static IReadOnlyList<string> Paragraphs(string text)
    {
        var paragraphs = new List<string>();
        string? current = null;
        foreach (string line in (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (line.Trim().Length == 0)
            {
                Flush();
            }
            else if (char.IsWhiteSpace(line[0]) && current is not null)
            {
                current += " " + line.Trim();
            }
            else
            {
                Flush();
                current = line.Trim();
            }
        }
        Flush();
        return paragraphs;

        void Flush()
        {
            if (current is not null)
            {
                paragraphs.Add(current);
                current = null;
            }
        }
    }
}
