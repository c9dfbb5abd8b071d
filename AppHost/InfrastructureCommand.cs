using System.Runtime.InteropServices;
using LettaPlatform.Hosting;
using LettaPlatform.Hosting.Orchestration;

namespace LettaPlatform.AppHost;

/// <summary>
/// <c>infra</c>: only PostgreSQL, Redis and RabbitMQ, for working on one service from an IDE.
/// <c>infra --keeper &lt;folder&gt;</c>: the process the test fixtures start to share servers across a test run.
/// </summary>
internal static class InfrastructureCommand
{
    public static async Task RunAsync(string[] args)
    {
        if (args is ["--keeper", var stateDirectory, ..])
        {
            using var stop = new CancellationTokenSource();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Cancel(context, stop));
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Cancel(context, stop));
            try
            {
                await SharedInfrastructure.RunKeeperAsync(stateDirectory, line => Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}"), stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                Console.WriteLine("stopped by signal");
            }

            return;
        }

        var builder = PlatformBuilder.Create(args);
        builder.AddPostgres("postgres");
        builder.AddRedis("redis");
        builder.AddRabbitMq("messaging");
        var platform = builder.Build();
        platform.ShowConnectionStrings = true;
        await using (platform)
        {
            await platform.RunAsync();
        }
    }

    private static void Cancel(PosixSignalContext context, CancellationTokenSource stop)
    {
        context.Cancel = true;
        stop.Cancel();
    }
}
