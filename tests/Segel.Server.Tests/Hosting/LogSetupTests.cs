using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Segel.Core.Configuration;
using Segel.Core.Errors;
using Segel.Server.Hosting;

namespace Segel.Server.Tests.Hosting;

/// <summary>Issue 25.4: the log's settings are checked before anything is written, one line naming the setting.</summary>
public sealed class LogSetupTests
{
    [Theory]
    [InlineData("json", "Debug", null, null)]
    [InlineData("TEXT", "warning", "None", null)]
    [InlineData("yaml", "Information", null, "Log:Format")]
    [InlineData("json", "Loud", null, "Log:Level")]
    [InlineData("json", "3", null, "Log:Level")]
    [InlineData("text", "Information", "Chatty", "Log:Categories:Segel.Server.Requests")]
    public void Settings_are_taken_or_refused_by_name(string format, string level, string? requestsLevel, string? refusedField)
    {
        var options = new LogOptions { Format = format, Level = level };
        if (requestsLevel is not null)
        {
            options.Categories = new() { ["Segel.Server.Requests"] = requestsLevel };
        }
        void Apply() => new ServiceCollection().AddLogging(logging => LogSetup.Apply(logging, options)).BuildServiceProvider().Dispose();
        if (refusedField is null)
        {
            Apply();
            return;
        }
        SegelException refused = Assert.Throws<SegelException>(Apply);
        Assert.Equal((ErrorKind.Invalid, refusedField), (refused.Kind, refused.Field));
        Assert.DoesNotContain('\n', refused.Message);
    }

    [Fact]
    public void The_frameworks_stay_at_warning_unless_named()
    {
        using ServiceProvider services = new ServiceCollection()
            .AddLogging(logging => LogSetup.Apply(logging, new LogOptions { Level = "Debug", Categories = new() { ["Microsoft.EntityFrameworkCore"] = "Information" } }))
            .BuildServiceProvider();
        ILoggerFactory factory = services.GetRequiredService<ILoggerFactory>();
        Assert.True(factory.CreateLogger("Segel.Server.Requests").IsEnabled(LogLevel.Debug));
        Assert.False(factory.CreateLogger("Microsoft.AspNetCore.Routing").IsEnabled(LogLevel.Information));
        Assert.True(factory.CreateLogger("Microsoft.EntityFrameworkCore.Database.Command").IsEnabled(LogLevel.Information));
    }
}
