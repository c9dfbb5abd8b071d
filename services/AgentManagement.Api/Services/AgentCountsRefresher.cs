using LettaPlatform.AgentManagement.Api.Data;
using LettaPlatform.ServiceDefaults.Data;

namespace LettaPlatform.AgentManagement.Api.Services;

/// <summary>
/// Keeps the agents-per-instance gauge current between placements: the gauge's callback must not
/// query the database, so this counts once a minute and placement refreshes it on every new agent.
/// </summary>
public sealed partial class AgentCountsRefresher(
    IServiceScopeFactory scopeFactory,
    LettaPlacement placement,
    DatabaseInitializationState<AgentManagementDbContext> database,
    ILogger<AgentCountsRefresher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await database.Migrated.WaitAsync(stoppingToken);
            using var timer = new PeriodicTimer(Interval);
            do
            {
                try
                {
                    await using var scope = scopeFactory.CreateAsyncScope();
                    await placement.CountAgentsAsync(scope.ServiceProvider.GetRequiredService<AgentManagementDbContext>(), stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogCountFailed(ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(LogLevel.Warning, "Counting agents per Letta instance failed; the gauge keeps its last values")]
    private partial void LogCountFailed(Exception exception);
}
