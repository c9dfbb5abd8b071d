using System.Security.Cryptography;
using System.Text;
using LettaPlatform.Contracts.AgentManagement;
using Microsoft.Extensions.Options;

namespace LettaPlatform.Chat.Api;

/// <summary>The usage dimensions of a turn: its agent's template and Letta instance, and its person, hashed.</summary>
public readonly record struct UsageScope(string Template, string Instance, string? Person)
{
    public static readonly UsageScope Unknown = new("unknown", "unknown", null);
}

/// <summary>
/// Turns a user id into the <c>person</c> dimension of the usage metrics: a keyed hash (HMAC-SHA256 with
/// <see cref="ChatOptions.PersonHashKey"/>), so dashboards can tell people apart and follow one over time, while
/// the user id cannot be read from it or guessed by hashing candidate ids without the key.
/// </summary>
public sealed class PersonHasher(IOptions<ChatOptions> options)
{
    private readonly byte[]? _key = options.Value.PersonHashKey is { Length: > 0 } key ? Encoding.UTF8.GetBytes(key) : null;

    /// <summary>16 hex digits, or null when no key is configured (per-person metrics are then off).</summary>
    public string? Hash(string userId) =>
        _key is null ? null : Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(userId)).AsSpan(0, 8));

    public UsageScope Scope(AgentResolved agent, string userId) => new(agent.TemplateId, agent.LettaInstance, Hash(userId));
}
