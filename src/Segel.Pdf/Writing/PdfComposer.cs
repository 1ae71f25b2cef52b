using System.Globalization;
using System.Text;

namespace Segel.Pdf.Writing;

/// <summary>A labelled figure in a chart.</summary>
public sealed record ChartValue(string Label, double Value);

/// <summary>
/// Lays out a flowing A4 document of headings, paragraphs, tables and charts in Helvetica, page after page, for
/// reports that must read the same printed in grey as on screen. Charts are vector drawings in shades of grey with
/// their figures written beside them, and each carries its text alternative (<c>/Alt</c>) for readers that cannot see
/// it. Text is Latin-1 (WinAnsi): the report's languages need no more. Not a typesetter: no hyphenation, no kerning.
/// </summary>
public sealed class PdfComposer
{
    private const double PageWidth = 595, PageHeight = 842, Margin = 56, Top = 780, Bottom = 70;
    private const double ContentWidth = PageWidth - 2 * Margin;
    private const double MaxCells = 10_000;
    private readonly List<StringBuilder> _pages = [];
    private readonly string _title;
    private readonly string _language;
    private StringBuilder _page = new();
    private double _y;
    private int _cells;

    /// <param name="title">The document's title: its metadata and every page's footer.</param>
    /// <param name="language">The text's language as a BCP 47 tag (<c>id</c>, <c>en</c>), for screen readers.</param>
    public PdfComposer(string title, string language)
    {
        _title = title ?? "";
        _language = language ?? "";
        NewPage();
    }

    /// <summary>A line above the footer on every page, such as a draft's mark; null for none.</summary>
    public string? Banner { get; set; }

    public void Heading(string text) => Lines(text, 16, bold: true, before: _y < Top ? 14 : 0, after: 6);

    /// <summary>A section's heading, kept on a page with some of what follows it.</summary>
    public void Subheading(string text)
    {
        Room(90);
        Lines(text, 12, bold: true, before: 10, after: 4);
    }

    public void Paragraph(string text, double size = 10, bool bold = false) => Lines(text, size, bold, before: 0, after: 4);

    /// <summary>
    /// A table with a shaded header row, repeated on every page it runs onto. <paramref name="widths"/> are the columns'
    /// shares of the line; columns listed in <paramref name="rightAligned"/> (numbers) are aligned right. A cell too long
    /// for its column is cut with an ellipsis: figures are short, names rarely are not.
    /// </summary>
    public void Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, IReadOnlyList<double> widths, IReadOnlyCollection<int>? rightAligned = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(widths);
        double total = widths.Sum();
        double[] columns = [.. widths.Select(w => w / total * ContentWidth)];
        const double RowHeight = 15, Size = 9;
        rightAligned ??= [];
        void Row(IReadOnlyList<string> cells, bool head)
        {
            if (++_cells > MaxCells)
            {
                throw new InvalidOperationException("The document has more table rows than a report can hold.");
            }
            if (head)
            {
                _page.Append(Invariant($"0.85 g {Margin} {_y - RowHeight} {ContentWidth} {RowHeight} re f 0 g\n"));
            }
            double x = Margin;
            for (int i = 0; i < columns.Length; i++)
            {
                string cell = Fit(i < cells.Count ? cells[i] : "", columns[i] - 6, Size, head);
                double left = rightAligned.Contains(i) ? x + columns[i] - 3 - HelveticaMetrics.Width(cell, Size, head) : x + 3;
                Text(cell, left, _y - RowHeight + 4.5, Size, head);
                x += columns[i];
            }
            _page.Append(Invariant($"0.6 G 0.5 w {Margin} {_y - RowHeight} m {Margin + ContentWidth} {_y - RowHeight} l S 0 G\n"));
            _y -= RowHeight;
        }
        Room(2 * RowHeight);
        Row(header, head: true);
        foreach (IReadOnlyList<string> row in rows)
        {
            if (_y - RowHeight < Bottom)
            {
                NewPage();
                Row(header, head: true);
            }
            Row(row, head: false);
        }
        _y -= 8;
    }

    /// <summary>
    /// Horizontal bars from zero to <paramref name="max"/>, each labelled on the left and with its figure
    /// (<paramref name="format"/>) on the right, under a caption; grid lines at quarters of the scale.
    /// </summary>
    public void BarChart(string caption, IReadOnlyList<ChartValue> values, double max, Func<double, string> format)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(format);
        const double Step = 14, Bar = 9, LabelWidth = 130, FigureWidth = 60;
        double area = ContentWidth - LabelWidth - FigureWidth;
        max = max > 0 ? max : Math.Max(1, values.Count == 0 ? 1 : values.Max(v => v.Value));
        Room(Math.Min(values.Count, 10) * Step + 40);
        Lines(caption, 10, bold: true, before: 4, after: 4);
        string alt = caption + ": " + string.Join("; ", values.Select(v => $"{v.Label} {format(v.Value)}"));
        _page.Append(Invariant($"/Figure << /Alt ({PlainPdf.Escape(alt)}) >> BDC\n"));
        double left = Margin + LabelWidth;
        void Grid(double top, double bottom)
        {
            for (int q = 0; q <= 4; q++)
            {
                double x = left + area * q / 4;
                _page.Append(Invariant($"0.75 G 0.4 w {x} {bottom} m {x} {top} l S 0 G\n"));
                string tick = format(max * q / 4);
                Text(tick, x - HelveticaMetrics.Width(tick, 7) / 2, bottom - 9, 7, false);
            }
        }
        double blockTop = _y;
        foreach (ChartValue value in values)
        {
            if (_y - Step < Bottom + 12)
            {
                Grid(blockTop, _y);
                NewPage();
                blockTop = _y;
            }
            Text(Fit(value.Label, LabelWidth - 8, 8, false), Margin, _y - Step + 3, 8, false);
            double length = Math.Clamp(value.Value / max, 0, 1) * area;
            _page.Append(Invariant($"0.35 g 0 G 0.5 w {left} {_y - Step + 1.5} {length} {Bar} re B 0 g\n"));
            Text(format(value.Value), left + length + 4, _y - Step + 3, 8, false);
            _y -= Step;
        }
        Grid(blockTop, _y);
        _page.Append("EMC\n");
        _y -= 18;
    }

    /// <summary>A line through <paramref name="points"/> from zero to <paramref name="max"/>, each marked and labelled with its figure; for a trend over months.</summary>
    public void LineChart(string caption, IReadOnlyList<ChartValue> points, double max, Func<double, string> format)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(format);
        const double ChartHeight = 140;
        max = max > 0 ? max : Math.Max(1, points.Count == 0 ? 1 : points.Max(v => v.Value));
        Room(ChartHeight + 50);
        Lines(caption, 10, bold: true, before: 4, after: 8);
        string alt = caption + ": " + string.Join("; ", points.Select(v => $"{v.Label} {format(v.Value)}"));
        _page.Append(Invariant($"/Figure << /Alt ({PlainPdf.Escape(alt)}) >> BDC\n"));
        double left = Margin + 30, width = ContentWidth - 40, bottom = _y - ChartHeight;
        for (int q = 0; q <= 4; q++)
        {
            double y = bottom + ChartHeight * q / 4;
            _page.Append(Invariant($"0.75 G 0.4 w {left} {y} m {left + width} {y} l S 0 G\n"));
            string tick = format(max * q / 4);
            Text(tick, left - 4 - HelveticaMetrics.Width(tick, 7), y - 2.5, 7, false);
        }
        if (points.Count > 0)
        {
            double step = points.Count == 1 ? 0 : width / (points.Count - 1);
            int every = Math.Max(1, (int)Math.Ceiling(points.Count / 12.0));
            var path = new StringBuilder();
            for (int i = 0; i < points.Count; i++)
            {
                double x = left + (points.Count == 1 ? width / 2 : step * i);
                double y = bottom + Math.Clamp(points[i].Value / max, 0, 1) * ChartHeight;
                path.Append(Invariant($"{x} {y} {(i == 0 ? "m" : "l")} "));
                _page.Append(Invariant($"{x - 2.5} {y - 2.5} 5 5 re f\n"));
                if (i % every == 0 || i == points.Count - 1)
                {
                    string figure = format(points[i].Value);
                    Text(figure, x - HelveticaMetrics.Width(figure, 7) / 2, y + 5, 7, false);
                    Text(points[i].Label, x - HelveticaMetrics.Width(points[i].Label, 7) / 2, bottom - 10, 7, false);
                }
            }
            _page.Append("0 G 1.5 w ").Append(path).Append("S\n");
        }
        _page.Append("EMC\n");
        _y = bottom - 26;
    }

    /// <summary>Starts a new page unless the current one is still empty.</summary>
    public void PageBreak()
    {
        if (_y < Top)
        {
            NewPage();
        }
    }

    /// <summary>The document; <paramref name="pageLabel"/> makes each footer's page number from (page, pages), such as "Halaman 2 dari 5".</summary>
    public byte[] ToPdf(Func<int, int, string> pageLabel)
    {
        ArgumentNullException.ThrowIfNull(pageLabel);
        int count = _pages.Count;
        var objects = new List<string>
        {
            $"<< /Type /Catalog /Pages 2 0 R /Lang ({PlainPdf.Escape(_language)}) /ViewerPreferences << /DisplayDocTitle true >> >>",
            $"<< /Type /Pages /Kids [{string.Join(" ", Enumerable.Range(0, count).Select(i => $"{3 + 2 * i} 0 R"))}] /Count {count} >>",
        };
        int fonts = 3 + 2 * count;
        for (int i = 0; i < count; i++)
        {
            // The footer goes on a copy, so the composer can still be written again.
            var content = new StringBuilder(_pages[i].ToString());
            _page = content;
            _page.Append(Invariant($"0.6 G 0.5 w {Margin} {Bottom - 22} m {Margin + ContentWidth} {Bottom - 22} l S 0 G\n"));
            Text(Fit(_title, ContentWidth - 90, 8, false), Margin, Bottom - 34, 8, false);
            string number = pageLabel(i + 1, count);
            Text(number, Margin + ContentWidth - HelveticaMetrics.Width(number, 8), Bottom - 34, 8, false);
            if (Banner is { Length: > 0 } banner)
            {
                Text(banner, Margin + (ContentWidth - HelveticaMetrics.Width(banner, 10, true)) / 2, PageHeight - 36, 10, true);
            }
            string stream = content.ToString();
            objects.Add($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PageWidth} {PageHeight}] /Contents {objects.Count + 2} 0 R /Resources << /Font << /F1 {fonts} 0 R /F2 {fonts + 1} 0 R >> >> >>");
            objects.Add($"<< /Length {Encoding.Latin1.GetByteCount(stream)} >>\nstream\n{stream}\nendstream");
        }
        objects.Add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
        objects.Add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>");
        objects.Add($"<< /Title ({PlainPdf.Escape(_title)}) /Producer (Segel) >>");
        _page = _pages[^1];
        return PlainPdf.Build(objects, "1.7", Invariant($" /Info {objects.Count} 0 R"));
    }

    private void NewPage()
    {
        _page = new StringBuilder();
        _pages.Add(_page);
        _y = Top;
    }

    /// <summary>Moves to a new page unless <paramref name="height"/> points are left on this one.</summary>
    private void Room(double height)
    {
        if (_y - height < Bottom)
        {
            NewPage();
        }
    }

    /// <summary>Words wrapped to the line's width; a word longer than a line is cut.</summary>
    private void Lines(string text, double size, bool bold, double before, double after)
    {
        _y -= before;
        foreach (string paragraph in (text ?? "").Split('\n'))
        {
            var line = new StringBuilder();
            foreach (string word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                string candidate = line.Length == 0 ? word : line + " " + word;
                if (line.Length > 0 && HelveticaMetrics.Width(candidate, size, bold) > ContentWidth)
                {
                    Line(line.ToString(), size, bold);
                    line.Clear().Append(word);
                }
                else
                {
                    line.Clear().Append(candidate);
                }
            }
            Line(line.ToString(), size, bold);
        }
        _y -= after;
    }

    private void Line(string text, double size, bool bold)
    {
        Room(size * 1.4);
        _y -= size * 1.4;
        Text(Fit(text, ContentWidth, size, bold), Margin, _y + size * 0.3, size, bold);
    }

    private void Text(string text, double x, double y, double size, bool bold) =>
        _page.Append(Invariant($"BT /{(bold ? "F2" : "F1")} {size} Tf {x} {y} Td ({PlainPdf.Escape(text)}) Tj ET\n"));

    private static string Fit(string text, double width, double size, bool bold)
    {
        text ??= "";
        if (HelveticaMetrics.Width(text, size, bold) <= width)
        {
            return text;
        }
        int length = text.Length;
        while (length > 0 && HelveticaMetrics.Width(text[..length] + "...", size, bold) > width)
        {
            length--;
        }
        return text[..length] + "...";
    }

    /// <summary>Invariant text with every coordinate to two decimals (never an exponent, which PDF has no syntax for).</summary>
    private static string Invariant(FormattableString text) =>
        string.Format(CultureInfo.InvariantCulture, text.Format, [.. text.GetArguments().Select(a => a is double d ? d.ToString("0.##", CultureInfo.InvariantCulture) : a)]);
}
