using System.Data.Common;

namespace LettaPlatform.Letta;

/// <summary>Parses <c>Endpoint=http://…;Key=…[;Project=…]</c> (Aspire-style connection string).</summary>
public static class LettaConnectionString
{
    public static LettaInstanceOptions Parse(string connectionString)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        string? Get(params string[] keys)
        {
            foreach (var key in keys)
            {
                if (builder.TryGetValue(key, out var value) && value is string text && text.Length > 0)
                {
                    return text;
                }
            }
            return null;
        }

        return new LettaInstanceOptions
        {
            Endpoint = Get("Endpoint"),
            ApiKey = Get("Key", "ApiKey"),
            Password = Get("Password"),
            Project = Get("Project"),
        };
    }
}
