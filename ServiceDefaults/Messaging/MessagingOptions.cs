using System.ComponentModel.DataAnnotations;

namespace LettaPlatform.ServiceDefaults.Messaging;

/// <summary>How this host names its queues (section "Messaging").</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    /// <summary>
    /// Starts the name of every queue this host receives from and of every queue it sends to by name.
    /// Empty in production; a test host sets one of its own, so hosts sharing one broker never take each
    /// other's messages.
    /// </summary>
    [RegularExpression("^([a-z0-9][a-z0-9-]*-)?$", ErrorMessage = "A queue prefix is empty, or kebab-case ending in '-'.")]
    public string QueuePrefix { get; set; } = "";
}
