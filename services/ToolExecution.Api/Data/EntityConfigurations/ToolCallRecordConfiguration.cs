using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ToolExecution.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LettaPlatform.ToolExecution.Api.Data.EntityConfigurations;

public sealed class ToolCallRecordConfiguration : IEntityTypeConfiguration<ToolCallRecord>
{
    public void Configure(EntityTypeBuilder<ToolCallRecord> call)
    {
        call.ToTable("ToolCalls");

        // The key is what makes a tool call run at most once: the guard's claim inserts the same
        // (user, tool_call_id) only once, even when two deliveries arrive at the same moment.
        call.HasKey(c => new { c.UserId, c.ToolCallId }).HasName("pk_tool_calls");
        call.Property(c => c.UserId).HasMaxLength(AuthExtensions.MaxSubjectLength);
        call.Property(c => c.ToolCallId).HasMaxLength(200);
        call.Property(c => c.Tool).HasMaxLength(100);
        call.Property(c => c.ArgumentsHash).HasMaxLength(64);
        call.Property(c => c.Status).HasMaxLength(20);
    }
}
