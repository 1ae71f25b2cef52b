using Npgsql;
using Segel.Core.Configuration;

namespace Segel.Testing;

/// <summary>
/// The databases every storage test runs on. SQLite is a file in a temporary folder; PostgreSQL is the real
/// server that scripts/test.sh starts, with a fresh database per test so tests never see each other's rows.
/// </summary>
public static class TestDatabase
{
    public const string Variable = "SEGEL_TEST_POSTGRES";

    public static IEnumerable<object[]> Providers => [["sqlite"], ["postgres"]];

    public static DatabaseOptions Create(string provider, string directory)
    {
        if (provider == "sqlite")
        {
            return new DatabaseOptions { Provider = "sqlite", ConnectionString = $"Data Source={System.IO.Path.Combine(directory, "segel.db")}" };
        }
        string admin = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"PostgreSQL tests need {Variable} (a connection string to a server where databases may be created). Run scripts/test.sh, which starts one.");
        string name = "segel_" + Guid.NewGuid().ToString("N")[..16];
        using (var connection = new NpgsqlConnection(admin))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new DatabaseOptions { Provider = "postgres", ConnectionString = builder.ConnectionString };
    }
}
