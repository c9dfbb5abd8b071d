using System.Text.RegularExpressions;

namespace LettaPlatform.Deployment.Tests;

/// <summary>A service's database, its EF Core migrations (from the source tree) and the scripts made from them.</summary>
public sealed partial record MigrationScripts(string Project, string Database)
{
    public static IReadOnlyList<MigrationScripts> Services { get; } =
    [
        new("Chat.Api", "chatdb"),
        new("AgentManagement.Api", "agentsdb"),
        new("ToolExecution.Api", "toolsdb"),
        new("MemorySync.Api", "memorydb"),
    ];

    public static TheoryData<string, string> All { get; } = new(Services.Select(s => (s.Project, s.Database)));

    /// <summary>Migration ids, oldest first, from the file names EF Core gives them.</summary>
    public IReadOnlyList<string> Migrations { get; } = Directory
        .EnumerateFiles(Path.Combine(Repository.Root, "services", Project, "Data", "Migrations"), "*.cs")
        .Select(Path.GetFileNameWithoutExtension)
        .Where(name => MigrationId().IsMatch(name!))
        .Order(StringComparer.Ordinal)
        .ToList()!;

    public string Apply => Path.Combine(Repository.Kubernetes, "migrations", "sql", $"{Database}.sql");

    public string Rollback => Path.Combine(Repository.Kubernetes, "migrations", "sql", $"{Database}.rollback.sql");

    [GeneratedRegex(@"^\d{14}_[A-Za-z0-9]+$")]
    private static partial Regex MigrationId();
}
