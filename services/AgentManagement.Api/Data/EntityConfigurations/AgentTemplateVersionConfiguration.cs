using System.Text.Json;
using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LettaPlatform.AgentManagement.Api.Data.EntityConfigurations;

internal sealed class AgentTemplateVersionConfiguration : IEntityTypeConfiguration<AgentTemplateVersion>
{
    public void Configure(EntityTypeBuilder<AgentTemplateVersion> version)
    {
        version.ToTable("AgentTemplateVersions");
        version.HasKey(v => new { v.TemplateId, v.Version });
        version.Property(v => v.TemplateId).HasMaxLength(64);
        version.Property(v => v.Name).HasMaxLength(200);
        version.Property(v => v.Description).HasMaxLength(2000);
        version.Property(v => v.PublishedBy).HasMaxLength(AuthExtensions.MaxSubjectLength);
        version.Property(v => v.Blocks).HasColumnType("jsonb").HasConversion(JsonConversion<TemplateBlock>.Converter, JsonConversion<TemplateBlock>.Comparer);
        version.Property(v => v.Tools).HasColumnType("jsonb").HasConversion(JsonConversion<TemplateTool>.Converter, JsonConversion<TemplateTool>.Comparer);
        version.Property(v => v.Tags).HasColumnType("jsonb").HasConversion(JsonConversion<string>.Converter, JsonConversion<string>.Comparer);
        version.HasData(TemplateSeed.Versions);
    }

    // Versions are immutable and always read whole, so a JSON document per list is simpler than child tables.
    private static class JsonConversion<T>
    {
        public static readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<List<T>, string> Converter = new(
            value => JsonSerializer.Serialize(value, JsonSerializerOptions.Web),
            json => JsonSerializer.Deserialize<List<T>>(json, JsonSerializerOptions.Web) ?? new List<T>());

        public static readonly ValueComparer<List<T>> Comparer = new(
            (left, right) => JsonSerializer.Serialize(left, JsonSerializerOptions.Web) == JsonSerializer.Serialize(right, JsonSerializerOptions.Web),
            value => JsonSerializer.Serialize(value, JsonSerializerOptions.Web).GetHashCode(),
            value => JsonSerializer.Deserialize<List<T>>(JsonSerializer.Serialize(value, JsonSerializerOptions.Web), JsonSerializerOptions.Web)!);
    }
}
