using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LettaPlatform.AgentManagement.Api.Data.EntityConfigurations;

internal sealed class TemplateRolloutConfiguration : IEntityTypeConfiguration<TemplateRollout>
{
    public void Configure(EntityTypeBuilder<TemplateRollout> rollout)
    {
        rollout.ToTable("TemplateRollouts");
        rollout.HasKey(r => r.Id);
        rollout.Property(r => r.Id).ValueGeneratedNever();
        rollout.Property(r => r.TemplateId).HasMaxLength(64);
        rollout.Property(r => r.StartedBy).HasMaxLength(AuthExtensions.MaxSubjectLength);
        rollout.Property(r => r.Status).HasConversion<string>().HasMaxLength(32);
        rollout.HasMany(r => r.Items).WithOne().HasForeignKey(i => i.RolloutId);
        rollout.HasOne<AgentTemplate>().WithMany().HasForeignKey(r => r.TemplateId).OnDelete(DeleteBehavior.Restrict);

        // At most one rollout in flight per template, even if two admins start one at the same moment.
        rollout.HasIndex(r => r.TemplateId)
            .HasDatabaseName("ix_template_rollouts_one_in_flight")
            .IsUnique()
            .HasFilter("status IN ('Canary', 'Promoting', 'RollingBack')");
    }
}
