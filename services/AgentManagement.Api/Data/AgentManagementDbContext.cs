using LettaPlatform.AgentManagement.Api.Data.EntityConfigurations;
using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.ServiceDefaults.Data;
using LettaPlatform.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.AgentManagement.Api.Data;

public sealed class AgentManagementDbContext(DbContextOptions<AgentManagementDbContext> options) : DbContext(options)
{
    public DbSet<AgentTemplate> Templates => Set<AgentTemplate>();

    public DbSet<AgentTemplateVersion> TemplateVersions => Set<AgentTemplateVersion>();

    public DbSet<AgentConfig> AgentConfigs => Set<AgentConfig>();

    public DbSet<Project> Projects => Set<Project>();

    public DbSet<AgentArchive> Archives => Set<AgentArchive>();

    public DbSet<TemplateRollout> Rollouts => Set<TemplateRollout>();

    public DbSet<RolloutItem> RolloutItems => Set<RolloutItem>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new AgentTemplateConfiguration());
        modelBuilder.ApplyConfiguration(new AgentTemplateVersionConfiguration());
        modelBuilder.ApplyConfiguration(new AgentConfigConfiguration());
        modelBuilder.ApplyConfiguration(new AgentArchiveConfiguration());
        modelBuilder.ApplyConfiguration(new ProjectConfiguration());
        modelBuilder.ApplyConfiguration(new TemplateRolloutConfiguration());
        modelBuilder.ApplyConfiguration(new RolloutItemConfiguration());
        modelBuilder.AddOutbox();
        modelBuilder.UseSnakeCaseNames();
    }
}
