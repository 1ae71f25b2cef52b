using Segel.Core.Configuration;
using Segel.Core.Errors;

namespace Segel.Server.Hosting;

/// <summary>Reads <see cref="SegelOptions"/>: defaults, then <c>segel.json</c>, then <c>SEGEL_</c> environment variables, then command-line overrides.</summary>
public static class SegelConfiguration
{
    public static SegelOptions Load(DataFolder folder, IDictionary<string, string?>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        IConfigurationRoot configuration;
        try
        {
            configuration = new ConfigurationBuilder()
                .AddJsonFile(folder.ConfigFile, optional: true, reloadOnChange: false)
                .AddEnvironmentVariables("SEGEL_")
                .AddInMemoryCollection(overrides ?? new Dictionary<string, string?>())
                .Build();
        }
        catch (InvalidDataException e)
        {
            throw SegelException.Invalid("segel.json", $"{folder.ConfigFile} is not valid JSON: {e.Message}");
        }
        var options = new SegelOptions();
        try
        {
            configuration.Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw SegelException.Invalid("segel.json", $"A setting in {folder.ConfigFile} or the environment has the wrong type: {e.Message}");
        }
        return options;
    }
}
