using System.Security.Claims;
using LettaPlatform.AgentManagement.Api.Data;
using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Paging;
using LettaPlatform.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LettaPlatform.AgentManagement.Api.Apis;

/// <summary>A person's projects: the agents of a project share one <c>project_context</c> memory block.</summary>
public static class ProjectsApi
{
    public static IEndpointRouteBuilder MapProjectsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/projects").WithTags("Projects");

        api.MapPost("", CreateProject).WithName("CreateProject")
            .WithSummary("Create a project")
            .WithDescription("`name` (1 to 100 characters, unique among the caller's projects) and an optional GitHub `repository` (`owner/name`). "
                + "Agents made with `POST /api/agents` `{ templateId, projectId: <the project's id> }` share the project's `project_context` block "
                + "(one Letta block, on the instance where all the project's agents live). 409 `project_name_taken` when the caller already has a "
                + "project of that name; 400 for a bad name or repository.");
        api.MapGet("", ListProjects).WithName("ListProjects")
            .WithSummary("List the caller's projects")
            .WithDescription("Oldest first, paged with `limit` (1 to 200, default 50) and `cursor` (the previous page's `nextCursor`).");
        api.MapGet("/{id:guid}", GetProject).WithName("GetProject")
            .WithSummary("Get one of the caller's projects with its agents")
            .WithDescription("The project, its shared block (label, Letta id, and the memory route of its value and versions) and the caller's "
                + "agents of the project, each saying whether it holds the shared block. 404 `project_not_found` when there is no such "
                + "project or it is another user's.");

        return app;
    }

    public static async Task<Results<Created<ProjectResponse>, ValidationProblem, ProblemHttpResult>> CreateProject(
        CreateProjectRequest request, ClaimsPrincipal user, AgentManagementDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();
        var name = request.Name!.Trim();
        var now = time.GetUtcNow();
        var project = new Project
        {
            Id = Guid.CreateVersion7(now),
            UserId = userId,
            Name = name,
            Repository = request.Repository,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Projects.Add(project);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return ApiProblems.ProjectNameTaken.Result($"You already have a project named '{name}'.");
        }

        return TypedResults.Created($"/api/projects/{project.Id}", ProjectResponse.From(project));
    }

    public static async Task<Results<Ok<Page<ProjectResponse>>, ValidationProblem>> ListProjects(
        ClaimsPrincipal user, AgentManagementDbContext db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (!Pagination.TryRead<Guid>(limit, cursor, out var paging, out var problem))
        {
            return problem;
        }

        var userId = user.GetUserId();
        var query = db.Projects.AsNoTracking().Where(p => p.UserId == userId);
        if (paging.HasPosition)
        {
            var afterId = paging.Position;
            query = query.Where(p => p.Id.CompareTo(afterId) > 0);
        }

        // Ids are UUIDv7, so id order is creation order and makes a stable keyset cursor.
        var projects = await query.OrderBy(p => p.Id).Take(paging.Limit + 1).ToListAsync(cancellationToken);
        return TypedResults.Ok(Pagination.ToPage(projects.Select(ProjectResponse.From).ToList(), paging.Limit, p => p.Id));
    }

    public static async Task<Results<Ok<ProjectDetails>, ProblemHttpResult>> GetProject(
        Guid id, ClaimsPrincipal user, AgentManagementDbContext db, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();
        var project = await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id && p.UserId == userId, cancellationToken);
        if (project is null)
        {
            return ApiProblems.ProjectNotFound.Result("There is no such project.");
        }

        var projectId = project.Id.ToString();
        var agents = await db.AgentConfigs.AsNoTracking()
            .Where(a => a.UserId == userId && a.ProjectId == projectId)
            .OrderBy(a => a.Id)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new ProjectDetails(
            project.Id, project.Name, project.Repository, project.LettaInstance, project.CreatedAt, project.UpdatedAt,
            new ProjectSharedBlock(Project.SharedLabel, project.SharedBlockId, $"/api/memory/projects/{project.Id}/blocks/{Project.SharedLabel}"),
            [.. agents.Select(a => new ProjectAgent(
                a.Id, a.TemplateId, a.TemplateVersion, a.Status.ToString().ToLowerInvariant(), a.LettaAgentId is null ? null : a.LettaInstance,
                a.ProjectBlockId is not null && a.ProjectBlockId == project.SharedBlockId, a.CreatedAt))]));
    }
}
