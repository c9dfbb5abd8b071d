using LettaPlatform.MemorySync.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LettaPlatform.MemorySync.Api.Data.EntityConfigurations;

internal sealed class SnapshotConfiguration : IEntityTypeConfiguration<Snapshot>
{
    public void Configure(EntityTypeBuilder<Snapshot> builder)
    {
        builder.ToTable("Snapshots");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Trigger).HasMaxLength(20);
        builder.HasOne<MemoryAgent>().WithMany().HasForeignKey(s => s.AgentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => new { s.AgentId, s.CreatedAt });
        builder.HasMany(s => s.Blocks).WithOne().HasForeignKey(b => b.SnapshotId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SnapshotBlockConfiguration : IEntityTypeConfiguration<SnapshotBlock>
{
    public void Configure(EntityTypeBuilder<SnapshotBlock> builder)
    {
        builder.ToTable("SnapshotBlocks");
        builder.HasKey(b => new { b.SnapshotId, b.Label });
        builder.Property(b => b.Label).HasMaxLength(100);
    }
}
