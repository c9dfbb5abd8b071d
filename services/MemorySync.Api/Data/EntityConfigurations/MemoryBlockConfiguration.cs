using LettaPlatform.MemorySync.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LettaPlatform.MemorySync.Api.Data.EntityConfigurations;

internal sealed class MemoryBlockConfiguration : IEntityTypeConfiguration<MemoryBlock>
{
    public void Configure(EntityTypeBuilder<MemoryBlock> builder)
    {
        builder.ToTable("Blocks");
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Id).ValueGeneratedNever();
        builder.Property(b => b.Label).HasMaxLength(100);
        builder.Property(b => b.LettaBlockId).HasMaxLength(100);
        builder.Property(b => b.UpdatedBy).HasMaxLength(20);
        builder.Property(b => b.SyncState).HasMaxLength(20);
        builder.Property(b => b.RowVersion).HasColumnName("xmin").HasColumnType("xid").ValueGeneratedOnAddOrUpdate().IsConcurrencyToken();
        builder.HasIndex(b => new { b.AgentId, b.Label }).IsUnique();
        builder.HasIndex(b => new { b.SyncState, b.NextPushAt });
    }
}
