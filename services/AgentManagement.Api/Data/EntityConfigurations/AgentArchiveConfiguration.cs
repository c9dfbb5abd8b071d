using LettaPlatform.AgentManagement.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LettaPlatform.AgentManagement.Api.Data.EntityConfigurations;

internal sealed class AgentArchiveConfiguration : IEntityTypeConfiguration<AgentArchive>
{
    public void Configure(EntityTypeBuilder<AgentArchive> archive)
    {
        archive.ToTable("AgentArchives");
        archive.HasKey(a => a.Id);
        archive.Property(a => a.Id).ValueGeneratedNever();
        archive.Property(a => a.LettaInstance).HasMaxLength(100);
        archive.Property(a => a.LettaAgentId).HasMaxLength(100);
        archive.Property(a => a.Memory).HasColumnType("jsonb");
        archive.HasIndex(a => new { a.AgentId, a.CreatedAt });

        // A deleted agent takes its snapshots with it; nothing else removes one.
        archive.HasOne<AgentConfig>().WithMany().HasForeignKey(a => a.AgentId).OnDelete(DeleteBehavior.Cascade);
    }
}
