using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ToolExecution.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LettaPlatform.ToolExecution.Api.Data.EntityConfigurations;

public sealed class TaskItemConfiguration : IEntityTypeConfiguration<TaskItem>
{
    public void Configure(EntityTypeBuilder<TaskItem> task)
    {
        task.ToTable("Tasks");
        task.HasKey(t => t.Id);
        task.Property(t => t.Id).ValueGeneratedNever();
        task.Property(t => t.UserId).HasMaxLength(AuthExtensions.MaxSubjectLength);
        task.Property(t => t.ProjectId).HasMaxLength(100);
        task.Property(t => t.Title).HasMaxLength(TaskRules.TitleMaxLength);
        task.Property(t => t.Description).HasMaxLength(TaskRules.DescriptionMaxLength);
        task.Property(t => t.Status).HasMaxLength(20);
        task.Property(t => t.Priority).HasMaxLength(20);

        // Lists are per user, newest first, by (created_at, id) keyset.
        task.HasIndex(t => new { t.UserId, t.CreatedAt, t.Id });

        // A subtask belongs to its parent: deleting the parent deletes its subtasks. Subtasks are read in order.
        task.HasOne<TaskItem>().WithMany().HasForeignKey(t => t.ParentId).OnDelete(DeleteBehavior.Cascade);
        task.HasIndex(t => new { t.ParentId, t.Position });
    }
}
