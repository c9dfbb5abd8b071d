using LettaPlatform.Hosting;
using Microsoft.Extensions.Hosting;

namespace LettaPlatform.Chat.Api.Tests.TestHost;

/// <summary>
/// Shared by the assembly: the infrastructure, a LettaDev server, the stand-in services and one
/// chat-api. Tests isolate themselves by user id (each test its own users, so its own agents and sessions).
/// </summary>
public sealed class ChatFixture : IAsyncLifetime
{
    /// <summary>The key of the per-person usage metrics (Chat:PersonHashKey).</summary>
    public const string PersonHashKey = "chat-tests-person-hash-key-0123456789";

    private readonly InfrastructureFixture _infrastructure = new();
    private IHost? _standInHost;

    public LettaDevServer Letta { get; private set; } = null!;

    public StandIns StandIns { get; private set; } = null!;

    public ChatApiHost Chat { get; private set; } = null!;

    public string Prefix { get; } = $"chat-tests-{Guid.NewGuid():N}"[..24] + "-";

    public string ChatDatabase { get; private set; } = null!;

    public InfrastructureFixture Infrastructure => _infrastructure;

    public async ValueTask InitializeAsync()
    {
        await _infrastructure.InitializeAsync();
        Letta = await LettaDevServer.StartAsync(pingInterval: TimeSpan.FromMilliseconds(200));
        StandIns = new StandIns(Letta);
        _standInHost = await StandIns.StartAsync(_infrastructure.RabbitMqConnectionString, Prefix);
        ChatDatabase = await _infrastructure.CreateDatabaseAsync("chat_tests");
        Chat = CreateChat(new Dictionary<string, string?>());
        await Chat.StartAsync();
    }

    /// <summary>A chat-api wired to this fixture's servers; <paramref name="overrides"/> change single settings.</summary>
    public ChatApiHost CreateChat(IReadOnlyDictionary<string, string?> overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = $"{Prefix}chat-api",
            ["ConnectionStrings:chatdb"] = ChatDatabase,
            ["ConnectionStrings:redis"] = _infrastructure.RedisConnectionString,
            ["ConnectionStrings:messaging"] = _infrastructure.RabbitMqConnectionString,
            ["ConnectionStrings:letta"] = $"Endpoint={Letta.Endpoint}",
            ["Letta:Instances:down:Endpoint"] = $"http://127.0.0.1:{FreePort.Next()}/",
            ["Messaging:QueuePrefix"] = Prefix,
            ["Chat:ToolCallTimeout"] = "00:00:03",
            ["Chat:ToolPreviewTimeout"] = "00:00:02",
            // The real bound (1.5 s) is for a Letta that is gone; a loaded CI machine can be slow to accept.
            ["Chat:LettaConnectTimeout"] = "00:00:10",
            ["AgentDirectory:Timeout"] = "00:00:05",
            ["Chat:KeepAliveInterval"] = "00:00:01",
            ["Chat:PersonHashKey"] = PersonHashKey,
            ["Outbox:PollInterval"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return new ChatApiHost(settings);
    }

    public async ValueTask DisposeAsync()
    {
        if (Chat is not null)
        {
            await Chat.DisposeAsync();
        }

        if (_standInHost is not null)
        {
            await _standInHost.StopAsync();
            _standInHost.Dispose();
        }

        if (Letta is not null)
        {
            await Letta.DisposeAsync();
        }

        await _infrastructure.DisposeAsync();
    }
}
