using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Segel.Server.Hosting;

/// <summary>
/// One JSON object per line: <c>time</c>, <c>level</c>, <c>category</c>, <c>event</c>, <c>message</c>, the entry's
/// named values, <c>request</c> and <c>exception</c>. Written here rather than with the framework's JSON formatter
/// because that one copies every scope, and ASP.NET Core's request scope holds the raw path, which can name a person
/// (a username, a NIP); only the request id is taken from the scopes, the id the request's audit entries carry.
/// </summary>
internal sealed class JsonLogFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "segel-json";
    private const string RequestScopeKey = "RequestId";
    private const string TemplateKey = "{OriginalFormat}";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        string? message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }
        var buffer = new ArrayBufferWriter<byte>(512);
        // Relaxed escaping: the line is read by people and log shippers, never put into HTML.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            // The wall clock, not the CA's TimeProvider: a log line says when it was written on this machine.
            json.WriteString("time", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            json.WriteString("level", logEntry.LogLevel.ToString());
            json.WriteString("category", logEntry.Category);
            if (logEntry.EventId.Id != 0 || logEntry.EventId.Name is not null)
            {
                json.WriteString("event", logEntry.EventId.Name ?? logEntry.EventId.Id.ToString(CultureInfo.InvariantCulture));
            }
            json.WriteString("message", message);
            if (logEntry.State is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach ((string key, object? value) in values)
                {
                    if (key != TemplateKey && !IsReserved(key))
                    {
                        WriteValue(json, key, value);
                    }
                }
            }
            if (RequestOf(scopeProvider) is { } request)
            {
                json.WriteString("request", request);
            }
            if (logEntry.Exception is { } exception)
            {
                json.WriteString("exception", exception.ToString());
            }
            json.WriteEndObject();
        }
        textWriter.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        textWriter.Write('\n');
    }

    private static bool IsReserved(string key) => key is "time" or "level" or "category" or "event" or "message" or "request" or "exception";

    private static void WriteValue(Utf8JsonWriter json, string key, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNull(key);
                break;
            case bool b:
                json.WriteBoolean(key, b);
                break;
            case int or long or short or byte or uint or ulong or ushort:
                json.WriteNumber(key, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case double or float or decimal:
                json.WriteNumber(key, Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            default:
                json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static string? RequestOf(IExternalScopeProvider? scopes)
    {
        if (scopes is null)
        {
            return null;
        }
        var found = new FoundRequest();
        scopes.ForEachScope(static (scope, found) =>
        {
            if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach ((string key, object? value) in pairs)
                {
                    if (key == RequestScopeKey && value is string id)
                    {
                        found.Id = id; // the innermost wins: a job round's id inside nothing, a request's inside the host
                    }
                }
            }
        }, found);
        return found.Id;
    }

    private sealed class FoundRequest
    {
        public string? Id { get; set; }
    }
}
