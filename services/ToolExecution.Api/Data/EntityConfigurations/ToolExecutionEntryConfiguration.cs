using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ToolExecution.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LettaPlatform.ToolExecution.Api.Data.EntityConfigurations;

public sealed class ToolExecutionEntryConfiguration : IEntityTypeConfiguration<ToolExecutionEntry>
{
    public void Configure(EntityTypeBuilder<ToolExecutionEntry> entry)
    {
        entry.ToTable("ToolExecutions");
        entry.HasKey(e => e.Id);
        entry.Property(e => e.Id).ValueGeneratedNever();
        entry.Property(e => e.UserId).HasMaxLength(AuthExtensions.MaxSubjectLength);
        entry.Property(e => e.ToolCallId).HasMaxLength(200);
        entry.Property(e => e.Tool).HasMaxLength(100);
        entry.Property(e => e.Arguments).HasColumnType("jsonb");
        entry.Property(e => e.Decision).HasMaxLength(20);
        entry.Property(e => e.Reason).HasMaxLength(100);
        entry.Property(e => e.Status).HasMaxLength(20);
        entry.Property(e => e.ApprovedBy).HasMaxLength(AuthExtensions.MaxSubjectLength);
        entry.Property(e => e.ParentToolCallId).HasMaxLength(200);
        entry.HasIndex(e => new { e.UserId, e.CreatedAt, e.Id });
        entry.HasIndex(e => new { e.UserId, e.ChainId, e.CreatedAt, e.Id }).HasFilter("chain_id IS NOT NULL");
        entry.HasIndex(e => new { e.UserId, e.SessionId, e.CreatedAt, e.Id });
    }
}
