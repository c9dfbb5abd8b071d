using System.Security.Cryptography;
using LettaPlatform.ToolExecution.Api.GitHub;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace LettaPlatform.ToolExecution.Api.Tests;

/// <summary>
/// Replicas starting together against an empty key ring in the shared Redis: each replica is its own
/// service provider with tool-execution's Data Protection set-up, and each keeps the ring it first loads.
/// </summary>
public sealed class SharedKeyRingTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private const int Replicas = 4;
    private readonly string _ringKey = $"test:data-protection-keys:{Guid.NewGuid():N}";
    private ConnectionMultiplexer _redis = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(infrastructure.RedisConnectionString);

    public async ValueTask DisposeAsync()
    {
        await _redis.GetDatabase().KeyDeleteAsync(_ringKey);
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task EnsureKey_ReplicasStartingTogether_CreateOneKeyThatEveryReplicaDecryptsWith()
    {
        var replicas = Enumerable.Range(0, Replicas).Select(_ => Replica()).ToList();
        using var start = new Barrier(Replicas);

        await Task.WhenAll(replicas.Select(replica => Task.Run(async () =>
        {
            start.SignalAndWait(Token);
            await replica.GetRequiredService<SharedKeyRing>().EnsureKeyAsync(_ringKey, Token);
        }, Token)));

        Assert.Equal(1, await _redis.GetDatabase().ListLengthAsync(_ringKey));
        for (var from = 0; from < Replicas; from++)
        {
            var secret = $"ghp_secret_of_replica_{from}";
            var ciphertext = Protector(replicas[from]).Protect(secret);
            Assert.All(replicas, to => Assert.Equal(secret, Protector(to).Unprotect(ciphertext)));
        }

        foreach (var replica in replicas)
        {
            await replica.DisposeAsync();
        }
    }

    [Fact]
    public async Task EnsureKey_KeyAlreadyThere_CreatesNone()
    {
        await using var first = Replica();
        await first.GetRequiredService<SharedKeyRing>().EnsureKeyAsync(_ringKey, Token);
        await using var later = Replica();

        await later.GetRequiredService<SharedKeyRing>().EnsureKeyAsync(_ringKey, Token);

        Assert.Equal(1, await _redis.GetDatabase().ListLengthAsync(_ringKey));
        Assert.Equal("t", Protector(later).Unprotect(Protector(first).Protect("t")));
    }

    [Fact]
    public async Task EnsureKey_AnotherReplicaHoldsTheLockAndNeverCreatesTheKey_GivesUpWithATimeout()
    {
        var time = new ManualClock { Now = DateTimeOffset.UtcNow };
        await using var replica = Replica(time);
        await _redis.GetDatabase().LockTakeAsync(SharedKeyRing.LockKey(_ringKey), "someone-else", TimeSpan.FromMinutes(1));
        try
        {
            var ensuring = replica.GetRequiredService<SharedKeyRing>().EnsureKeyAsync(_ringKey, Token);
            while (!ensuring.IsCompleted)
            {
                time.Now += TimeSpan.FromSeconds(1);
                await Task.Delay(5, Token);
            }

            var timeout = await Assert.ThrowsAsync<TimeoutException>(() => ensuring);
            Assert.Contains(_ringKey, timeout.Message, StringComparison.Ordinal);
            Assert.Equal(0, await _redis.GetDatabase().ListLengthAsync(_ringKey));
        }
        finally
        {
            await _redis.GetDatabase().KeyDeleteAsync(SharedKeyRing.LockKey(_ringKey));
        }
    }

    [Fact]
    public async Task Unprotect_UnderAKeyItsRingLacks_IsRefused()
    {
        // The premise: a ciphertext under a key the ring lacks is refused, so replicas must share one ring.
        await using var replica = Replica();
        await replica.GetRequiredService<SharedKeyRing>().EnsureKeyAsync(_ringKey, Token);
        var ciphertext = Protector(replica).Protect("t");
        await using var stranger = Replica(ringKey: $"{_ringKey}:other");

        Assert.ThrowsAny<CryptographicException>(() => Protector(stranger).Unprotect(ciphertext));
        await _redis.GetDatabase().KeyDeleteAsync($"{_ringKey}:other");
    }

    private static IDataProtector Protector(IServiceProvider replica) =>
        replica.GetRequiredService<IDataProtectionProvider>().CreateProtector("test", "user");

    private ServiceProvider Replica(TimeProvider? time = null, string? ringKey = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddSingleton<IConnectionMultiplexer>(_redis);
        services.AddDataProtection().SetApplicationName("lettaplatform-tool-execution");
        var key = ringKey ?? _ringKey;
        services.AddOptions<KeyManagementOptions>().Configure(keys => keys.XmlRepository = new RedisXmlRepository(() => _redis.GetDatabase(), key));
        services.AddSingleton<SharedKeyRing>();
        return services.BuildServiceProvider();
    }

    /// <summary>A clock the test moves; its timers are the system's.</summary>
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
