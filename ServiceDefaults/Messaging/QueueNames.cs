using MassTransit;
using Microsoft.Extensions.Options;

namespace LettaPlatform.ServiceDefaults.Messaging;

/// <summary>
/// The one place a host's <see cref="MessagingOptions.QueuePrefix"/> is put before its queue names: those of
/// commands and requests, which their senders address by a name kept beside the message in Contracts, and
/// those of event consumers, which the kebab-case <see cref="Formatter"/> names after the consumer
/// (<c>AgentProvisionedConsumer</c> → <c>agent-provisioned</c>).
/// </summary>
public sealed class QueueNames(IOptions<MessagingOptions> options)
{
    private readonly string _prefix = options.Value.QueuePrefix;

    public IEndpointNameFormatter Formatter { get; } = new KebabCaseEndpointNameFormatter(options.Value.QueuePrefix, includeNamespace: false);

    public string Name(string queue) => _prefix + queue;

    public Uri Address(string queue) => new($"queue:{Name(queue)}");
}
