using LettaPlatform.AgentManagement.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LettaPlatform.AgentManagement.Api.Data.EntityConfigurations;

internal sealed class RolloutItemConfiguration : IEntityTypeConfiguration<RolloutItem>
{
    public void Configure(EntityTypeBuilder<RolloutItem> item)
    {
        item.ToTable("RolloutItems");
        item.HasKey(i => new { i.RolloutId, i.AgentId });
        item.Property(i => i.State).HasConversion<string>().HasMaxLength(32);
        item.Property(i => i.Error).HasMaxLength(2000);
        item.HasIndex(i => new { i.RolloutId, i.State });
    }
}
