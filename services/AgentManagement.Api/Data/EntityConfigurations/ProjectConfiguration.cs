using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LettaPlatform.AgentManagement.Api.Data.EntityConfigurations;

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> project)
    {
        project.ToTable("Projects");
        project.HasKey(p => p.Id);
        project.Property(p => p.Id).ValueGeneratedNever();
        project.Property(p => p.UserId).HasMaxLength(AuthExtensions.MaxSubjectLength);
        project.Property(p => p.Name).HasMaxLength(Project.MaxNameLength);
        project.Property(p => p.Repository).HasMaxLength(200);
        project.Property(p => p.LettaInstance).HasMaxLength(100);
        project.Property(p => p.SharedBlockId).HasMaxLength(100);
        project.Property(p => p.RowVersion).HasColumnName("xmin").HasColumnType("xid").IsRowVersion();

        // One project of a name per person; the API answers 409 for a second.
        project.HasIndex(p => new { p.UserId, p.Name }).IsUnique();
    }
}
