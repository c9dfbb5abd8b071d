using LettaPlatform.ServiceDefaults.Data;
using LettaPlatform.ServiceDefaults.Messaging;
using LettaPlatform.ToolExecution.Api.Model;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.ToolExecution.Api.Data;

public sealed class ToolExecutionDbContext(DbContextOptions<ToolExecutionDbContext> options) : DbContext(options)
{
    public DbSet<TaskItem> Tasks => Set<TaskItem>();

    public DbSet<ToolExecutionEntry> ToolExecutions => Set<ToolExecutionEntry>();

    public DbSet<ToolCallRecord> ToolCalls => Set<ToolCallRecord>();

    public DbSet<GitHubConnection> GitHubConnections => Set<GitHubConnection>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ToolExecutionDbContext).Assembly);
        modelBuilder.AddOutbox();
        modelBuilder.UseSnakeCaseNames();
    }
}
