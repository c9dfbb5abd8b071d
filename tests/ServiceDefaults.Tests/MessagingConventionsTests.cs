using System.Diagnostics;
using LettaPlatform.ServiceDefaults.Messaging;
using LettaPlatform.ServiceDefaults.Tests.TestHost;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LettaPlatform.ServiceDefaults.Tests;

/// <summary>How consumers are received: queue names behind the host's prefix, and the retry of each kind of consumer.</summary>
public sealed class MessagingConventionsTests(InfrastructureFixture infrastructure)
{
    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("", "order-placed-recorder", "resolve-agent")]
    [InlineData("tests-1a2b-", "tests-1a2b-order-placed-recorder", "tests-1a2b-resolve-agent")]
    public void QueueNames_WithPrefix_PutItBeforeEventConsumerAndContractQueueNames(string prefix, string eventQueue, string contractQueue)
    {
        var queues = new QueueNames(Options.Create(new MessagingOptions { QueuePrefix = prefix }));

        Assert.Equal(eventQueue, queues.Formatter.Consumer<OrderPlacedRecorder>());
        Assert.Equal(contractQueue, queues.Name("resolve-agent"));
        Assert.Equal(new Uri($"queue:{contractQueue}"), queues.Address("resolve-agent"));
    }

    [Fact]
    public async Task RequestConsumer_OnItsContractQueue_AnswersThereBehindTheHostsPrefix()
    {
        using var host = await StartAsync();
        var prefix = host.Services.GetRequiredService<IOptions<MessagingOptions>>().Value.QueuePrefix;
        var echo = new Echo { Id = Guid.NewGuid(), Failures = 0 };

        var client = host.Services.GetRequiredService<IBus>().CreateRequestClient<Echo>(new Uri($"queue:{prefix}echo"), RequestTimeout.After(s: 30));
        var response = await client.GetResponse<Echoed>(echo, CancellationToken);

        Assert.Equal(echo.Id, response.Message.Id);
    }

    [Fact]
    public async Task RequestConsumer_FailingEveryTime_FaultsToTheRequesterAfterTwoQuickRetries()
    {
        using var host = await StartAsync();
        var echo = new Echo { Id = Guid.NewGuid(), Failures = int.MaxValue };
        var client = host.Services.GetRequiredService<IBus>()
            .CreateRequestClient<Echo>(host.Services.GetRequiredService<QueueNames>().Address(EchoConsumer.Queue), RequestTimeout.After(s: 30));

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<RequestFaultException>(() => client.GetResponse<Echoed>(echo, CancellationToken));
        watch.Stop();

        Assert.Equal(3, host.Services.GetRequiredService<Attempts>().Of(echo.Id));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"the fault took {watch.Elapsed}");
    }

    [Fact]
    public async Task EventConsumer_FailingTwice_IsRetriedUntilConsumedFromItsKebabCaseQueue()
    {
        using var host = await StartAsync();
        var prefix = host.Services.GetRequiredService<IOptions<MessagingOptions>>().Value.QueuePrefix;
        var happened = new SomethingHappened { Id = Guid.NewGuid(), Failures = 2 };

        // Sent to the queue by name rather than published: a consumer on any other queue would never see it.
        var queue = await host.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"queue:{prefix}something-happened"));
        await queue.Send(happened, CancellationToken);

        Assert.Single(await host.Services.GetRequiredService<Deliveries<SomethingHappened>>().WaitForAsync(m => m.Id == happened.Id));
        Assert.Equal(3, host.Services.GetRequiredService<Attempts>().Of(happened.Id));
    }

    private async Task<IHost> StartAsync() =>
        await ServiceHost.StartAsync(await infrastructure.CreateDatabaseAsync("conventions"), infrastructure.RabbitMqConnectionString, bus =>
        {
            bus.AddConsumer<EchoConsumer, EchoConsumerDefinition>();
            bus.AddEventConsumer<SomethingHappenedConsumer>();
        });
}
