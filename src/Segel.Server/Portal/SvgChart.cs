using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace Segel.Server.Portal;

/// <summary>A labelled figure in a chart.</summary>
public sealed record ChartPoint(string Label, double Value);

/// <summary>
/// Charts for the dashboards as inline SVG: vector, shades of grey and outlines (they read the same printed in grey),
/// every figure written beside its bar or point, and a text alternative (<c>role="img"</c> with a title and a
/// description listing the figures) for screen readers. Presentation attributes only, so the page's CSP (no inline
/// style) holds. The PDF report draws the same charts with Segel.Pdf's composer.
/// </summary>
public static class SvgChart
{
    private const double Width = 640, LabelWidth = 150, FigureWidth = 60, Step = 22, Bar = 14;

    /// <summary>Horizontal bars from zero to <paramref name="max"/> (the largest value when 0).</summary>
    public static IHtmlContent Bars(string id, string caption, IReadOnlyList<ChartPoint> values, double max, Func<double, string> format)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(format);
        max = max > 0 ? max : Math.Max(1, values.Count == 0 ? 1 : values.Max(v => v.Value));
        double area = Width - LabelWidth - FigureWidth, height = values.Count * Step + 24;
        var svg = Open(id, caption, values, format, height);
        for (int q = 0; q <= 4; q++)
        {
            double x = LabelWidth + area * q / 4;
            svg.Append(N($"<line x1=\"{x}\" y1=\"0\" x2=\"{x}\" y2=\"{height - 18}\" stroke=\"#bbbbbb\" stroke-width=\"1\"/>"));
            svg.Append(N($"<text x=\"{x}\" y=\"{height - 4}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#333333\">{E(format(max * q / 4))}</text>"));
        }
        for (int i = 0; i < values.Count; i++)
        {
            double y = i * Step + 4, length = Math.Clamp(values[i].Value / max, 0, 1) * area;
            svg.Append(N($"<text x=\"{LabelWidth - 6}\" y=\"{y + Bar - 3}\" text-anchor=\"end\" font-size=\"12\" fill=\"#111111\">{E(values[i].Label)}</text>"));
            svg.Append(N($"<rect x=\"{LabelWidth}\" y=\"{y}\" width=\"{length}\" height=\"{Bar}\" fill=\"#555555\" stroke=\"#111111\" stroke-width=\"1\"/>"));
            svg.Append(N($"<text x=\"{LabelWidth + length + 4}\" y=\"{y + Bar - 3}\" font-size=\"12\" fill=\"#111111\">{E(format(values[i].Value))}</text>"));
        }
        return Close(svg, caption);
    }

    /// <summary>A line through the points from zero to <paramref name="max"/>, each marked and labelled; for a trend over months.</summary>
    public static IHtmlContent Line(string id, string caption, IReadOnlyList<ChartPoint> points, double max, Func<double, string> format)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(format);
        const double Height = 200, Left = 50, Bottom = 170, Top = 14;
        max = max > 0 ? max : Math.Max(1, points.Count == 0 ? 1 : points.Max(v => v.Value));
        var svg = Open(id, caption, points, format, Height);
        double plot = Width - Left - 40;
        for (int q = 0; q <= 4; q++)
        {
            double y = Bottom - (Bottom - Top) * q / 4;
            svg.Append(N($"<line x1=\"{Left}\" y1=\"{y}\" x2=\"{Left + plot}\" y2=\"{y}\" stroke=\"#bbbbbb\" stroke-width=\"1\"/>"));
            svg.Append(N($"<text x=\"{Left - 6}\" y=\"{y + 4}\" text-anchor=\"end\" font-size=\"11\" fill=\"#333333\">{E(format(max * q / 4))}</text>"));
        }
        var path = new StringBuilder();
        int every = Math.Max(1, (int)Math.Ceiling(points.Count / 12.0));
        for (int i = 0; i < points.Count; i++)
        {
            double x = Left + (points.Count == 1 ? plot / 2 : plot * i / (points.Count - 1));
            double y = Bottom - Math.Clamp(points[i].Value / max, 0, 1) * (Bottom - Top);
            path.Append(N($"{(i == 0 ? "M" : "L")}{x} {y} "));
            svg.Append(N($"<rect x=\"{x - 3}\" y=\"{y - 3}\" width=\"6\" height=\"6\" fill=\"#111111\"/>"));
            if (i % every == 0 || i == points.Count - 1)
            {
                svg.Append(N($"<text x=\"{x}\" y=\"{y - 8}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#111111\">{E(format(points[i].Value))}</text>"));
                svg.Append(N($"<text x=\"{x}\" y=\"{Bottom + 18}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#333333\">{E(points[i].Label)}</text>"));
            }
        }
        if (points.Count > 1)
        {
            svg.Append(N($"<path d=\"{path.ToString().Trim()}\" fill=\"none\" stroke=\"#111111\" stroke-width=\"2\"/>"));
        }
        return Close(svg, caption);
    }

    private static StringBuilder Open(string id, string caption, IReadOnlyList<ChartPoint> values, Func<double, string> format, double height)
    {
        string description = string.Join("; ", values.Select(v => $"{v.Label}: {format(v.Value)}"));
        var svg = new StringBuilder("<figure class=\"chart\">");
        svg.Append(N($"<svg role=\"img\" aria-labelledby=\"{E(id)}-title {E(id)}-desc\" viewBox=\"0 0 {Width} {height}\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\">"));
        svg.Append(N($"<title id=\"{E(id)}-title\">{E(caption)}</title><desc id=\"{E(id)}-desc\">{E(description)}</desc>"));
        return svg;
    }

    private static HtmlString Close(StringBuilder svg, string caption) => new(svg.Append("</svg><figcaption>").Append(E(caption)).Append("</figcaption></figure>").ToString());

    private static string E(string text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>Invariant text with every coordinate to one decimal.</summary>
    private static string N(FormattableString text) =>
        string.Format(CultureInfo.InvariantCulture, text.Format, [.. text.GetArguments().Select(a => a is double d ? d.ToString("0.#", CultureInfo.InvariantCulture) : a)]);
}
