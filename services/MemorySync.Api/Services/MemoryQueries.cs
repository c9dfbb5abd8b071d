using LettaPlatform.MemorySync.Api.Data;
using LettaPlatform.MemorySync.Api.Model;

namespace LettaPlatform.MemorySync.Api.Services;

public static class MemoryQueries
{
    /// <summary>
    /// The blocks an agent holds: its own and, for an agent of a project, the project's shared ones (one row each, however
    /// many agents hold it). For a project's row: the project's shared blocks.
    /// </summary>
    public static IQueryable<MemoryBlock> BlocksOf(this MemorySyncDbContext db, MemoryAgent agent)
    {
        var agentId = agent.Id;
        var projectId = agent.ProjectId;
        return projectId is null ? db.Blocks.Where(b => b.AgentId == agentId) : db.Blocks.Where(b => b.AgentId == agentId || b.AgentId == projectId);
    }
}
