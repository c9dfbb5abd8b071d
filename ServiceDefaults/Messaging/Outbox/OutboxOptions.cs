using System.ComponentModel.DataAnnotations;

namespace LettaPlatform.ServiceDefaults.Messaging.Outbox;

/// <summary>Tuning of the outbox relay (section "Outbox"); the defaults suit every service.</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>How often the relay looks for work when no commit has signalled it (another replica's commits, missed signals).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one publish may wait for the broker before it counts as failed.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MinRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Dispatched rows are kept this long for diagnosis, then deleted.</summary>
    public TimeSpan RetainDispatchedFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long an idempotent consumer remembers a message id (<c>processed_messages</c>). A message comes
    /// again within minutes (broker redelivery, a relay republishing after a crash), so a week is ample.
    /// </summary>
    public TimeSpan RetainProcessedFor { get; set; } = TimeSpan.FromDays(7);
}
