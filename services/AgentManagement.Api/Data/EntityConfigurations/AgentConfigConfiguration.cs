using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LettaPlatform.AgentManagement.Api.Data.EntityConfigurations;

internal sealed class AgentConfigConfiguration : IEntityTypeConfiguration<AgentConfig>
{
    public void Configure(EntityTypeBuilder<AgentConfig> agent)
    {
        agent.ToTable("AgentConfigs");
        agent.HasKey(a => a.Id);
        agent.Property(a => a.Id).ValueGeneratedNever();
        agent.Property(a => a.UserId).HasMaxLength(AuthExtensions.MaxSubjectLength);
        agent.Property(a => a.TemplateId).HasMaxLength(64);
        agent.Property(a => a.ProjectId).HasMaxLength(200);
        agent.Property(a => a.ProjectBlockId).HasMaxLength(100);
        agent.Property(a => a.LettaInstance).HasMaxLength(100);
        agent.Property(a => a.LettaAgentId).HasMaxLength(100);
        agent.Property(a => a.Status).HasConversion<string>().HasMaxLength(32);
        agent.Property(a => a.ArchiveStep).HasConversion<string>().HasMaxLength(32);
        // Npgsql maps a uint row version to the xmin system column; named explicitly so snake-casing leaves it alone.
        agent.Property(a => a.RowVersion).HasColumnName("xmin").HasColumnType("xid").IsRowVersion();

        // The one-agent-per-(user, template, project) rule, with "no project" counting as one value.
        agent.HasIndex(a => new { a.UserId, a.TemplateId, a.ProjectId }).IsUnique().AreNullsDistinct(false);
        agent.HasIndex(a => new { a.UserId, a.Id });
        agent.HasIndex(a => new { a.TemplateId, a.TemplateVersion });
        agent.HasIndex(a => a.LettaInstance);
        agent.HasIndex(a => new { a.Status, a.LastActiveAt });
        agent.HasOne<AgentTemplate>().WithMany().HasForeignKey(a => a.TemplateId).OnDelete(DeleteBehavior.Restrict);
    }
}
