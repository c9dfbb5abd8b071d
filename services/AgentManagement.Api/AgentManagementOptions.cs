using System.ComponentModel.DataAnnotations;

namespace LettaPlatform.AgentManagement.Api;

/// <summary>Behaviour of provisioning, resolution, placement and rollouts (section "AgentManagement").</summary>
public sealed class AgentManagementOptions
{
    public const string SectionName = "AgentManagement";

    /// <summary>
    /// How long re-provisioning waits for memory-sync's answer. Without one the agent is not re-created (the
    /// request faults and the caller retries): a new agent with its template's memory would answer as if the
    /// person had never edited it. Keep it below the callers' own ResolveAgent timeouts.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ReadAgentMemoryTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>How long a request waits for another request's provisioning of the same agent.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ProvisioningWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A claim older than this is presumed abandoned (its replica died) and may be taken over.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan ProvisioningLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a resolved agent stays cached; every change to the mapping also evicts it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ResolutionCacheDuration { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long a replica keeps an answer in its own memory. Evictions reach Redis but not the other
    /// replicas' memory, so this bounds how long another replica may answer with a moved or deleted mapping.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ResolutionLocalCacheDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an instance's health answer is trusted by placement.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan InstanceHealthCacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan InstanceHealthTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many agents a rollout updates at the same time.</summary>
    [Range(1, 64)]
    public int RolloutConcurrency { get; set; } = 4;

    /// <summary>How often the rollout worker looks for work no request has signalled (another replica's rollouts, a restart).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan RolloutPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether the archive worker archives idle agents; archiving and restoring one agent on demand work either way.</summary>
    public bool ArchiveInactiveAgents { get; set; } = true;

    /// <summary>An agent nobody used for this long is archived: snapshotted, then deleted from Letta until its person comes back.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan ArchiveInactiveAfter { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How often at most a replica records a use of the same agent when a cached resolution answers (a miss always
    /// records it); capped at a tenth of <see cref="ArchiveInactiveAfter"/>. Zero records every resolution.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ActivityRecordInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the archive worker looks for idle agents and for archivings a crash interrupted.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan ArchivePollInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many agents one pass of the archive worker archives at most, one after the other.</summary>
    [Range(1, 1000)]
    public int ArchiveBatchSize { get; set; } = 20;
}

/// <summary>
/// The model and embedding each template's agents run on (section "AgentModels"): a deployment
/// choice, not part of the template, so the same templates serve Letta Cloud, a self-hosted server and LettaDev.
/// </summary>
public sealed class AgentModelsOptions
{
    public const string SectionName = "AgentModels";

    [Required]
    public string Model { get; set; } = "openai/gpt-4.1";

    [Required]
    public string Embedding { get; set; } = "openai/text-embedding-3-small";

    /// <summary>Per-template overrides, keyed by template id.</summary>
    public Dictionary<string, TemplateModelOptions> Templates { get; set; } = new(StringComparer.Ordinal);

    public (string Model, string Embedding) For(string templateId) =>
        Templates.TryGetValue(templateId, out var custom)
            ? (custom.Model ?? Model, custom.Embedding ?? Embedding)
            : (Model, Embedding);
}

public sealed class TemplateModelOptions
{
    public string? Model { get; set; }

    public string? Embedding { get; set; }
}
