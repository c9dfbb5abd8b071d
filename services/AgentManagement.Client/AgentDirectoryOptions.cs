using System.ComponentModel.DataAnnotations;

namespace LettaPlatform.AgentManagement.Client;

/// <summary>
/// How long <see cref="AgentDirectoryClient"/> waits for agent-management and keeps its answers (section
/// "AgentDirectory"). Each service sets its own defaults in code, in <c>AddAgentDirectory</c>.
/// </summary>
public sealed class AgentDirectoryOptions
{
    public const string SectionName = "AgentDirectory";

    /// <summary>How long a <c>ResolveAgent</c> request waits for agent-management's answer.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an agent is cached. A change of the agent within that time is seen only once the service forgets it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long "no such agent for this user" is cached; zero asks again every time.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan NotFoundCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a replica keeps an answer in its own memory (at most the durations above). A forgotten agent is
    /// removed from Redis and from this replica's memory, not from the other replicas', so this bounds how long
    /// another replica may still answer with it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan LocalCacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}
