using LettaPlatform.MemorySync.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LettaPlatform.MemorySync.Api.Data.EntityConfigurations;

internal sealed class BlockVersionConfiguration : IEntityTypeConfiguration<BlockVersion>
{
    public void Configure(EntityTypeBuilder<BlockVersion> builder)
    {
        builder.ToTable("BlockVersions");
        builder.HasKey(v => v.Id);
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.Property(v => v.Label).HasMaxLength(100);
        builder.Property(v => v.Author).HasMaxLength(20);
        builder.Property(v => v.Reason).HasMaxLength(100);
        builder.Property(v => v.RunId).HasMaxLength(400);
        builder.Property(v => v.ToolCallId).HasMaxLength(400);
        builder.HasOne<MemoryBlock>().WithMany().HasForeignKey(v => v.BlockId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(v => new { v.BlockId, v.Version }).IsUnique();
        builder.HasIndex(v => new { v.AgentId, v.CreatedAt });
    }
}
