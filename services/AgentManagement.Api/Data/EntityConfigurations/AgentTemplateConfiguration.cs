using LettaPlatform.AgentManagement.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LettaPlatform.AgentManagement.Api.Data.EntityConfigurations;

internal sealed class AgentTemplateConfiguration : IEntityTypeConfiguration<AgentTemplate>
{
    public void Configure(EntityTypeBuilder<AgentTemplate> template)
    {
        template.ToTable("AgentTemplates");
        template.HasKey(t => t.Id);
        template.Property(t => t.Id).HasMaxLength(64);
        template.HasMany(t => t.Versions).WithOne().HasForeignKey(v => v.TemplateId);
        template.HasData(TemplateSeed.Templates);
    }
}
