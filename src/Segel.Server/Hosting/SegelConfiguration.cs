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
            throw new SegelException(ErrorKind.Invalid, $"{folder.ConfigFile} is not valid JSON: {e.Message}", "segel.json");
        }
        var options = new SegelOptions();
        try
        {
            configuration.Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new SegelException(ErrorKind.Invalid, $"A setting in {folder.ConfigFile} or the environment has the wrong type: {e.Message}", "segel.json");
        }
        return options;
    }
}
