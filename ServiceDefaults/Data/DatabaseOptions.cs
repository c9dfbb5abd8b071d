namespace LettaPlatform.ServiceDefaults.Data;

/// <summary>How a service treats its database schema at start-up (section "Database").</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>
    /// True (the default, for local runs and tests): the service applies its own migrations when it
    /// starts. False (a deployment that migrates in a separate step, deploy/README.md): it applies
    /// none and only waits, not ready, until the database has every migration it was built with.
    /// </summary>
    public bool MigrateOnStartup { get; set; } = true;
}
