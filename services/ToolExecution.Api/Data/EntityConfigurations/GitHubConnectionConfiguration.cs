using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ToolExecution.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LettaPlatform.ToolExecution.Api.Data.EntityConfigurations;

public sealed class GitHubConnectionConfiguration : IEntityTypeConfiguration<GitHubConnection>
{
    public void Configure(EntityTypeBuilder<GitHubConnection> connection)
    {
        connection.ToTable("GithubConnections");
        connection.HasKey(c => c.UserId);
        connection.Property(c => c.UserId).HasMaxLength(AuthExtensions.MaxSubjectLength);
        connection.Property(c => c.Login).HasMaxLength(100);
        connection.Property(c => c.AllowedRepositories).HasColumnType("text[]");
    }
}
