using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Segel.Core.Configuration;
using Segel.Core.Errors;

namespace Segel.Server.Hosting;

/// <summary>The server's log as configured (<c>Log:Format</c>, <c>Log:Level</c>, <c>Log:Categories</c>), checked before anything is written.</summary>
public static class LogSetup
{
    public static void Apply(ILoggingBuilder logging, LogOptions options)
    {
        ArgumentNullException.ThrowIfNull(logging);
        (string format, LogLevel least, List<(string Category, LogLevel Level)> categories) = Check(options);
        logging.ClearProviders();
        if (format == LogOptions.Json)
        {
            logging.AddConsole(o => o.FormatterName = JsonLogFormatter.FormatterName);
            logging.AddConsoleFormatter<JsonLogFormatter, ConsoleFormatterOptions>();
        }
        else
        {
            // One line per entry: journald and `docker logs` keep lines, and a multi-line entry splits into several.
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
            });
        }
        logging.SetMinimumLevel(least);
        // The frameworks' own chatter (each request's routing, each SQL command) only when asked for by name.
        LogLevel frameworks = least > LogLevel.Warning ? least : LogLevel.Warning;
        logging.AddFilter("Microsoft.AspNetCore", frameworks);
        logging.AddFilter("Microsoft.EntityFrameworkCore", frameworks);
        foreach ((string category, LogLevel level) in categories)
        {
            logging.AddFilter(category, level);
        }
    }

    /// <summary>The settings, read and checked; a mistake is refused naming the setting.</summary>
    public static (string Format, LogLevel Least, List<(string Category, LogLevel Level)> Categories) Check(LogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        LogLevel least = Level(options.Level, "Log:Level");
        List<(string Category, LogLevel Level)> categories = [.. (options.Categories ?? []).Select(c => (c.Key, Level(c.Value, $"Log:Categories:{c.Key}")))];
        string format = (options.Format ?? "").Trim().ToLowerInvariant();
        if (format is not (LogOptions.Text or LogOptions.Json))
        {
            throw new SegelException(ErrorKind.Invalid, $"Log:Format must be text or json, not '{options.Format}'.", "Log:Format");
        }
        return (format, least, categories);
    }

    private static LogLevel Level(string? value, string field) =>
        Enum.TryParse(value?.Trim(), ignoreCase: true, out LogLevel level) && Enum.IsDefined(level) && !int.TryParse(value, out _)
            ? level
            : throw new SegelException(ErrorKind.Invalid, $"{field} must be one of Trace, Debug, Information, Warning, Error, Critical or None, not '{value}'.", field);
}
