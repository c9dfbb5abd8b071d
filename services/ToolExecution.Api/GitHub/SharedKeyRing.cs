using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LettaPlatform.ToolExecution.Api.GitHub;

/// <summary>
/// Makes sure the key ring in the shared Redis holds a usable key before this replica serves anything.
/// Left to itself, Data Protection creates a key the first time it needs one and finds none; replicas
/// starting together can each create their own and each keep a ring without the other's key, so a GitHub
/// token saved through one replica cannot be decrypted by the other (Data Protection reloads its ring for
/// an unknown key only in the first minutes after start). Here the first key is created by one replica,
/// under a Redis lock, while the others wait for it; later keys are created ahead of use by Data
/// Protection's own rotation, which every replica sees before they are activated.
/// </summary>
public sealed partial class SharedKeyRing(
    IKeyManager keys,
    IOptions<KeyManagementOptions> options,
    IConnectionMultiplexer redis,
    TimeProvider time,
    ILogger<SharedKeyRing> logger) : IHostedLifecycleService
{
    private static readonly TimeSpan LockLifetime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static string LockKey(string keyRingKey) => $"{keyRingKey}:first-key-lock";

    /// <summary>Before any hosted service (the message bus among them) starts to use the ring.</summary>
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await EnsureKeyAsync(Extensions.Extensions.DataProtectionKeysKey, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Without Redis no token can be read or saved anyway; Data Protection creates the key on first use.
            LogRedisUnavailable(ex);
        }
    }

    /// <summary>Returns once the ring has a key usable now: found, created here, or created by another replica meanwhile.</summary>
    public async Task EnsureKeyAsync(string keyRingKey, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        var owner = Guid.NewGuid().ToString("N");
        var giveUpAt = time.GetUtcNow() + Patience;
        while (!HasUsableKey())
        {
            if (await database.LockTakeAsync(LockKey(keyRingKey), owner, LockLifetime))
            {
                try
                {
                    if (!HasUsableKey())
                    {
                        var now = time.GetUtcNow();
                        var key = keys.CreateNewKey(now, now + options.Value.NewKeyLifetime);
                        LogKeyCreated(key.KeyId);
                    }
                }
                finally
                {
                    await database.LockReleaseAsync(LockKey(keyRingKey), owner);
                }

                return;
            }

            if (time.GetUtcNow() > giveUpAt)
            {
                throw new TimeoutException($"No Data Protection key appeared in '{keyRingKey}' within {Patience.TotalSeconds:0} s while another replica held the lock to create it.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }
    }

    private bool HasUsableKey()
    {
        var now = time.GetUtcNow();
        return keys.GetAllKeys().Any(key => !key.IsRevoked && key.ActivationDate <= now && key.ExpirationDate > now);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Created the first Data Protection key {KeyId} of the shared key ring")]
    private partial void LogKeyCreated(Guid keyId);

    [LoggerMessage(LogLevel.Warning, "Could not check the shared Data Protection key ring in Redis at start; the first use creates the key")]
    private partial void LogRedisUnavailable(Exception exception);
}
