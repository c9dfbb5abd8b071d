using LettaPlatform.AgentManagement.Api.Data;
using LettaPlatform.AgentManagement.Api.Model;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.AgentManagement.Api.Services;

/// <summary>The template someone asked for does not exist.</summary>
public sealed class UnknownTemplateException(string templateId) : Exception($"There is no template '{templateId}'.")
{
    public string TemplateId { get; } = templateId;
}

public static class TemplateQueries
{
    public static Task<AgentTemplateVersion?> FindVersionAsync(this AgentManagementDbContext db, string templateId, int version, CancellationToken cancellationToken) =>
        db.TemplateVersions.AsNoTracking().SingleOrDefaultAsync(v => v.TemplateId == templateId && v.Version == version, cancellationToken);

    public static async Task<AgentTemplateVersion> GetVersionAsync(this AgentManagementDbContext db, string templateId, int version, CancellationToken cancellationToken) =>
        await db.FindVersionAsync(templateId, version, cancellationToken)
        ?? throw new InvalidOperationException($"Template {templateId} has no version {version}.");

    /// <summary>The version new agents of <paramref name="templateId"/> get.</summary>
    public static async Task<AgentTemplateVersion> GetActiveVersionAsync(this AgentManagementDbContext db, string templateId, CancellationToken cancellationToken)
    {
        var template = await db.Templates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == templateId, cancellationToken)
            ?? throw new UnknownTemplateException(templateId);
        return await db.GetVersionAsync(templateId, template.ActiveVersion, cancellationToken);
    }

    /// <summary>Reads the agent and locks its row until the surrounding transaction ends, so moves, rollouts and re-provisioning of one agent take turns.</summary>
    public static Task<AgentConfig?> LockAgentAsync(this AgentManagementDbContext db, Guid agentId, CancellationToken cancellationToken) =>
        db.AgentConfigs.FromSql($"SELECT *, xmin FROM agent_configs WHERE id = {agentId} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
}
