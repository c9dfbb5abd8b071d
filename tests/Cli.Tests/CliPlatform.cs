using LettaPlatform.TestInfrastructure;

namespace LettaPlatform.Cli.Tests;

/// <summary>
/// The whole platform (one replica of each service) with two Letta instances: the AppHost's LettaDev
/// (<c>letta</c>) and a second LettaDev configured as <see cref="SecondLetta"/>, so agents can be moved.
/// </summary>
public sealed class CliPlatform : PlatformFixture
{
    public const string SecondLetta = "second";

    private LettaDevServer? secondLetta;

    public override async ValueTask InitializeAsync()
    {
        secondLetta = await LettaDevServer.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (secondLetta is not null)
        {
            await secondLetta.DisposeAsync();
        }
    }

    /// <summary>A client of the Letta instance the platform calls <paramref name="instance"/> (<c>letta</c> or <see cref="SecondLetta"/>).</summary>
    public HttpClient CreateLettaClient(string instance) =>
        string.Equals(instance, SecondLetta, StringComparison.OrdinalIgnoreCase) ? new HttpClient { BaseAddress = secondLetta!.Endpoint } : CreateLettaClient();

    protected override IEnumerable<string> PlatformArguments() => [$"--Letta:Instances:{SecondLetta}:Endpoint={secondLetta!.Endpoint}"];
}

[CollectionDefinition(nameof(PlatformCollection))]
public sealed class PlatformCollection : ICollectionFixture<CliPlatform>;
