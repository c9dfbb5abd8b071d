using LettaPlatform.MemorySync.Api.Model;
using LettaPlatform.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LettaPlatform.MemorySync.Api.Data.EntityConfigurations;

internal sealed class MemoryAgentConfiguration : IEntityTypeConfiguration<MemoryAgent>
{
    public void Configure(EntityTypeBuilder<MemoryAgent> builder)
    {
        builder.ToTable("Agents");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.UserId).HasMaxLength(AuthExtensions.MaxSubjectLength);
        builder.Property(a => a.LettaInstance).HasMaxLength(100);
        builder.Property(a => a.LettaAgentId).HasMaxLength(100);
        builder.Property(a => a.TemplateId).HasMaxLength(100);
        builder.HasIndex(a => a.UserId);
        builder.HasIndex(a => a.ProjectId);
        builder.HasMany(a => a.Blocks).WithOne().HasForeignKey(b => b.AgentId).OnDelete(DeleteBehavior.Cascade);
    }
}
