using System.Security.Claims;
using LettaPlatform.AgentManagement.Api.Data;
using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.AgentManagement.Api.Services;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LettaPlatform.AgentManagement.Api.Apis;

public static class TemplatesApi
{
    public static IEndpointRouteBuilder MapTemplatesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/templates").WithTags("Templates");

        api.MapGet("", ListTemplates).WithName("ListTemplates")
            .WithSummary("List the agent templates")
            .WithDescription("Every template with its active version: name, description, tool names (and which need approval), block labels "
                + "and tags, plus the latest published version.");
        api.MapGet("/{id}/versions/{version:int}", GetTemplateVersion).WithName("GetTemplateVersion")
            .WithSummary("Get one version of a template")
            .WithDescription("The whole version: system prompt, blocks with their initial values and limits, tools, tags, who published it and when. "
                + "404 `template_not_found` when the template has no such version.");

        var admin = api.MapGroup("/{id}").RequireAuthorization(Policies.Admin);
        admin.MapPost("/versions", PublishVersion).WithName("PublishTemplateVersion")
            .WithSummary("Publish a new template version (admin)")
            .WithDescription("Adds the next version (not yet active: a rollout makes it so). `systemPrompt`, `blocks` (at least one) and `tools` "
                + "are required; a missing `name`, `description` or `tags` keeps the latest version's. Answers 201. "
                + "404 `template_not_found`; 409 `version_conflict` when another version was published at the same time.");
        admin.MapPost("/rollouts", StartRollout).WithName("StartRollout")
            .WithSummary("Start a rollout of a template version (admin)")
            .WithDescription("Moves the template's agents to `version`, first a canary share (`canaryPercent`); the work happens in the "
                + "background, so the answer is 202 with the rollout to poll. 400 for a version the template lacks; "
                + "409 `rollout_conflict` when it is already the active version or another rollout is in progress; 404 `template_not_found`.");
        admin.MapGet("/rollouts/{rolloutId:guid}", GetRollout).WithName("GetRollout")
            .WithSummary("Get a rollout's progress (admin)")
            .WithDescription("Its status, counts per state and each agent's state (with the error of a failed one). 404 `rollout_not_found`.");
        admin.MapPost("/rollouts/{rolloutId:guid}/promote", PromoteRollout).WithName("PromoteRollout")
            .WithSummary("Promote a canary rollout to every agent (admin)")
            .WithDescription("Takes the rollout to all the template's agents, including those provisioned since it started; answers 202 with the "
                + "rollout. 409 `rollout_conflict` when it is not a canary rollout any more; 404 `rollout_not_found`.");
        admin.MapPost("/rollouts/{rolloutId:guid}/rollback", RollbackRollout).WithName("RollbackRollout")
            .WithSummary("Roll a rollout back (admin)")
            .WithDescription("Returns every agent the rollout reached to its previous version, and the template to its previous active version; "
                + "answers 202 with the rollout. 409 `rollout_conflict` when it is already rolled back (or rolling back) or a later rollout of the "
                + "template exists; 404 `rollout_not_found`.");

        return app;
    }

    public static async Task<Ok<List<TemplateSummary>>> ListTemplates(AgentManagementDbContext db, CancellationToken cancellationToken)
    {
        var templates = await db.Templates.AsNoTracking().Include(t => t.Versions).OrderBy(t => t.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(templates.Select(t =>
        {
            var active = t.Versions.Single(v => v.Version == t.ActiveVersion);
            return new TemplateSummary(
                t.Id,
                active.Version,
                t.Versions.Max(v => v.Version),
                active.Name,
                active.Description,
                active.Tools.Select(tool => tool.Name).ToList(),
                active.Blocks.Select(block => block.Label).ToList(),
                active.Tools,
                active.Tags);
        }).ToList());
    }

    public static async Task<Results<Ok<TemplateVersionDetails>, ProblemHttpResult>> GetTemplateVersion(
        string id, int version, AgentManagementDbContext db, CancellationToken cancellationToken)
    {
        var found = await db.FindVersionAsync(id, version, cancellationToken);
        return found is null ? ApiProblems.TemplateNotFound.Result("The template has no such version.") : TypedResults.Ok(ToDetails(found));
    }

    public static async Task<Results<Created<TemplateVersionDetails>, ProblemHttpResult>> PublishVersion(
        string id, PublishTemplateVersionRequest request, ClaimsPrincipal user, AgentManagementDbContext db, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (!await db.Templates.AnyAsync(t => t.Id == id, cancellationToken))
        {
            return ApiProblems.TemplateNotFound.Result("There is no such template.");
        }

        var latest = await db.TemplateVersions.AsNoTracking().Where(v => v.TemplateId == id).OrderByDescending(v => v.Version).FirstAsync(cancellationToken);
        var published = new AgentTemplateVersion
        {
            TemplateId = id,
            Version = latest.Version + 1,
            Name = string.IsNullOrWhiteSpace(request.Name) ? latest.Name : request.Name.Trim(),
            Description = string.IsNullOrWhiteSpace(request.Description) ? latest.Description : request.Description.Trim(),
            SystemPrompt = request.SystemPrompt!,
            Blocks = request.Blocks!.Select(b => new TemplateBlock(b.Label!, b.Value ?? "", b.Limit ?? TemplateBlockRequest.DefaultLimit, b.Description ?? "")).ToList(),
            Tools = request.Tools!.Select(t => new TemplateTool(t.Name!, t.RequiresApproval)).ToList(),
            Tags = request.Tags?.ToList() ?? latest.Tags,
            PublishedAt = timeProvider.GetUtcNow(),
            PublishedBy = user.GetUserId(),
        };
        db.TemplateVersions.Add(published);

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return ApiProblems.VersionConflict.Result("Another version of this template was published at the same time; publish again.");
        }

        return TypedResults.Created($"/api/templates/{id}/versions/{published.Version}", ToDetails(published));
    }

    public static async Task<Results<Accepted<RolloutResponse>, ValidationProblem, ProblemHttpResult>> StartRollout(
        string id, StartRolloutRequest request, ClaimsPrincipal user, RolloutService rollouts, AgentManagementDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            var rollout = await rollouts.StartAsync(id, request.Version!.Value, request.CanaryPercent!.Value, user.GetUserId(), cancellationToken);
            return TypedResults.Accepted($"/api/templates/{id}/rollouts/{rollout.Id}", await LoadRolloutAsync(db, id, rollout.Id, cancellationToken));
        }
        catch (UnknownTemplateException)
        {
            return ApiProblems.TemplateNotFound.Result("There is no such template.");
        }
        catch (RolloutRejectedException ex)
        {
            return ex.Conflict ? ApiProblems.RolloutConflict.Result(ex.Message) : ApiProblems.Validation(ex.Field, ex.Message);
        }
    }

    public static async Task<Results<Ok<RolloutResponse>, ProblemHttpResult>> GetRollout(
        string id, Guid rolloutId, AgentManagementDbContext db, CancellationToken cancellationToken)
    {
        var rollout = await LoadRolloutAsync(db, id, rolloutId, cancellationToken);
        return rollout is null ? ApiProblems.RolloutNotFound.Result("There is no such rollout of this template.") : TypedResults.Ok(rollout);
    }

    public static Task<Results<Accepted<RolloutResponse>, ProblemHttpResult>> PromoteRollout(
        string id, Guid rolloutId, RolloutService rollouts, AgentManagementDbContext db, CancellationToken cancellationToken) =>
        ChangeRolloutAsync(id, rolloutId, db, () => rollouts.PromoteAsync(id, rolloutId, cancellationToken), cancellationToken);

    public static Task<Results<Accepted<RolloutResponse>, ProblemHttpResult>> RollbackRollout(
        string id, Guid rolloutId, RolloutService rollouts, AgentManagementDbContext db, CancellationToken cancellationToken) =>
        ChangeRolloutAsync(id, rolloutId, db, () => rollouts.RollbackAsync(id, rolloutId, cancellationToken), cancellationToken);

    private static async Task<Results<Accepted<RolloutResponse>, ProblemHttpResult>> ChangeRolloutAsync(
        string id, Guid rolloutId, AgentManagementDbContext db, Func<Task<TemplateRollout?>> change, CancellationToken cancellationToken)
    {
        try
        {
            if (await change() is null)
            {
                return ApiProblems.RolloutNotFound.Result("There is no such rollout of this template.");
            }
        }
        catch (RolloutRejectedException ex)
        {
            return ApiProblems.RolloutConflict.Result(ex.Message);
        }

        db.ChangeTracker.Clear();
        return TypedResults.Accepted($"/api/templates/{id}/rollouts/{rolloutId}", await LoadRolloutAsync(db, id, rolloutId, cancellationToken));
    }

    private static async Task<RolloutResponse?> LoadRolloutAsync(AgentManagementDbContext db, string templateId, Guid rolloutId, CancellationToken cancellationToken)
    {
        var rollout = await db.Rollouts.AsNoTracking().Include(r => r.Items)
            .SingleOrDefaultAsync(r => r.Id == rolloutId && r.TemplateId == templateId, cancellationToken);
        if (rollout is null)
        {
            return null;
        }

        int Count(RolloutItemState state) => rollout.Items.Count(i => i.State == state);
        var progress = new RolloutProgress(
            rollout.Items.Count,
            rollout.Items.Count(i => i.Canary),
            Count(RolloutItemState.Pending),
            Count(RolloutItemState.Applied),
            Count(RolloutItemState.Failed),
            Count(RolloutItemState.RolledBack),
            Count(RolloutItemState.RollbackFailed),
            Count(RolloutItemState.Skipped));

        return new RolloutResponse(
            rollout.Id,
            rollout.TemplateId,
            rollout.Version,
            rollout.PreviousActiveVersion,
            rollout.CanaryPercent,
            ToWire(rollout.Status.ToString()),
            rollout.StartedBy,
            rollout.CreatedAt,
            rollout.UpdatedAt,
            progress,
            rollout.Items.OrderBy(i => i.AgentId)
                .Select(i => new RolloutAgentState(i.AgentId, i.Canary, i.PreviousVersion, ToWire(i.State.ToString()), i.Error, i.UpdatedAt))
                .ToList());
    }

    private static TemplateVersionDetails ToDetails(AgentTemplateVersion v) =>
        new(v.TemplateId, v.Version, v.Name, v.Description, v.SystemPrompt, v.Blocks, v.Tools, v.Tags, v.PublishedAt, v.PublishedBy);

    private static string ToWire(string pascal) => LettaPlatform.ServiceDefaults.Data.ModelBuilderExtensions.ToSnakeCase(pascal);
}
