using System.ComponentModel.DataAnnotations;
using LettaPlatform.ServiceDefaults.Validation;

namespace LettaPlatform.AgentManagement.Api.Model;

public sealed record TemplateSummary(
    string Id,
    int Version,
    int LatestVersion,
    string Name,
    string Description,
    IReadOnlyList<string> Tools,
    IReadOnlyList<string> Blocks,
    IReadOnlyList<TemplateTool> ToolPolicies,
    IReadOnlyList<string> Tags);

public sealed record TemplateVersionDetails(
    string TemplateId,
    int Version,
    string Name,
    string Description,
    string SystemPrompt,
    IReadOnlyList<TemplateBlock> Blocks,
    IReadOnlyList<TemplateTool> Tools,
    IReadOnlyList<string> Tags,
    DateTimeOffset PublishedAt,
    string PublishedBy);

/// <summary>A new version of a template; the rules are declared here and checked before the handler runs.</summary>
public sealed record PublishTemplateVersionRequest(
    [property: StringLength(200, ErrorMessage = "name is at most {1} characters.")] string? Name,
    [property: StringLength(2000, ErrorMessage = "description is at most {1} characters.")] string? Description,
    [property: Required(ErrorMessage = PublishTemplateVersionRequest.SystemPromptMessage), StringLength(50_000, ErrorMessage = PublishTemplateVersionRequest.SystemPromptMessage)] string? SystemPrompt,
    [property: Required(ErrorMessage = PublishTemplateVersionRequest.BlocksMessage), MinLength(1, ErrorMessage = PublishTemplateVersionRequest.BlocksMessage)] IReadOnlyList<TemplateBlockRequest>? Blocks,
    [property: Required(ErrorMessage = "tools is required (it may be empty).")] IReadOnlyList<TemplateToolRequest>? Tools,
    IReadOnlyList<string>? Tags) : IValidatableObject
{
    private const string SystemPromptMessage = "systemPrompt is required and at most 50000 characters.";
    private const string BlocksMessage = "blocks must list at least one block.";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Blocks is not null && Blocks.GroupBy(b => b.Label).Any(g => g.Count() > 1))
        {
            yield return new ValidationResult("Block labels must be unique.", [nameof(Blocks)]);
        }

        if (Tools is not null && Tools.GroupBy(t => t.Name).Any(g => g.Count() > 1))
        {
            yield return new ValidationResult("Tool names must be unique.", [nameof(Tools)]);
        }

        if (Tags is not null && Tags.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > 100))
        {
            yield return new ValidationResult("Tags must be non-empty and at most 100 characters.", [nameof(Tags)]);
        }
    }
}

public sealed record TemplateBlockRequest(
    [property: Required(ErrorMessage = TemplateBlockRequest.LabelMessage), RegularExpression("^[a-z][a-z0-9_]{0,49}$", ErrorMessage = TemplateBlockRequest.LabelMessage)] string? Label,
    string? Value,
    [property: Range(100, 100_000, ErrorMessage = "limit must be between {1} and {2}.")] int? Limit,
    string? Description) : IValidatableObject
{
    public const int DefaultLimit = 5000;

    private const string LabelMessage = "A label is 1 to 50 lowercase letters, digits or underscores, starting with a letter.";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if ((Value?.Length ?? 0) > (Limit ?? DefaultLimit))
        {
            yield return new ValidationResult("value is longer than the block's limit.", [nameof(Value)]);
        }
    }
}

public sealed record TemplateToolRequest([property: Required(ErrorMessage = KnownTools.Message), KnownTool] string? Name, bool RequiresApproval);

/// <summary>The tools of the platform's catalog (tool-execution); a template may only offer these.</summary>
public static class KnownTools
{
    public const string QueryTasks = "query_tasks";
    public const string CreateTask = "create_task";
    public const string UpdateTask = "update_task";
    public const string GetRepositoryInfo = "get_repository_info";
    public const string CreatePullRequest = "create_pull_request";
    public const string ReadRepositoryContents = "read_repository_contents";
    public const string ListPullRequests = "list_pull_requests";
    public const string GetPullRequest = "get_pull_request";
    public const string PostPullRequestReview = "post_pull_request_review";
    public const string ReadRepositoryDocs = "read_repository_docs";
    public const string ProposeDocumentationChange = "propose_documentation_change";

    public const string BreakDownTask = "break_down_task";
    public const string TaskProgressReport = "task_progress_report";

    /// <summary>Hand-offs between a person's agents; the seeded templates have it by configuration (<c>HandOffTemplates</c>), others may list it.</summary>
    public const string AskAgent = "ask_agent";

    public const string Message = "Unknown tool; known tools are " + QueryTasks + ", " + CreateTask + ", " + UpdateTask + ", " + GetRepositoryInfo + ", " + CreatePullRequest
        + ", " + ReadRepositoryContents + ", " + ListPullRequests + ", " + GetPullRequest + ", " + PostPullRequestReview + ", " + ReadRepositoryDocs + ", " + ProposeDocumentationChange
        + ", " + BreakDownTask + ", " + TaskProgressReport + ", " + AskAgent + ".";

    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        QueryTasks, CreateTask, UpdateTask, GetRepositoryInfo, CreatePullRequest,
        ReadRepositoryContents, ListPullRequests, GetPullRequest, PostPullRequestReview, ReadRepositoryDocs, ProposeDocumentationChange,
        BreakDownTask, TaskProgressReport, AskAgent,
    };
}

/// <summary>A tool name of <see cref="KnownTools"/>.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class KnownToolAttribute() : ValidationAttribute(KnownTools.Message)
{
    public override bool IsValid(object? value) => value is null || (value is string name && KnownTools.Names.Contains(name));
}

/// <summary>The caller's agent of a template (for a project); whether the template exists is the handler's to say.</summary>
public sealed record CreateAgentRequest(
    [property: Required(ErrorMessage = "templateId is required.")] string? TemplateId,
    [property: NotBlank(ErrorMessage = CreateAgentRequest.ProjectIdMessage), StringLength(200, ErrorMessage = CreateAgentRequest.ProjectIdMessage)] string? ProjectId)
{
    private const string ProjectIdMessage = "projectId, when given, must be 1 to 200 characters.";
}

public sealed record MoveAgentRequest([property: Required(ErrorMessage = "targetInstance is required.")] string? TargetInstance);

/// <param name="Status"><c>provisioning</c>, <c>active</c>, <c>archiving</c>, <c>archived</c> or <c>restoring</c>.</param>
/// <param name="ArchiveStep">While archiving: <c>snapshotting</c>, <c>verified</c> or <c>deleting</c>.</param>
/// <param name="Footprint">What archiving freed in Letta, when the agent is archived and the answer carries it.</param>
public sealed record AgentResponse(
    Guid Id,
    string TemplateId,
    int TemplateVersion,
    string? ProjectId,
    string? LettaAgentId,
    string LettaInstance,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset LastActiveAt,
    string? ArchiveStep,
    DateTimeOffset? ArchivedAt,
    ArchiveFootprint? Footprint = null)
{
    public static AgentResponse From(AgentConfig agent) => new(
        agent.Id,
        agent.TemplateId,
        agent.TemplateVersion,
        agent.ProjectId,
        agent.LettaAgentId,
        agent.LettaInstance,
        agent.Status.ToString().ToLowerInvariant(),
        agent.CreatedAt,
        agent.UpdatedAt,
        agent.LastActiveAt,
        agent.ArchiveStep?.ToString().ToLowerInvariant(),
        agent.ArchivedAt);
}

/// <summary>What an archived agent no longer holds in Letta, from its snapshot.</summary>
public sealed record ArchiveFootprint(Guid SnapshotId, long AgentFileBytes, int Messages, int Blocks, DateTimeOffset VerifiedAt);

public sealed record StartRolloutRequest(
    [property: Required(ErrorMessage = StartRolloutRequest.VersionMessage), Range(1, int.MaxValue, ErrorMessage = StartRolloutRequest.VersionMessage)] int? Version,
    [property: Required(ErrorMessage = StartRolloutRequest.CanaryMessage), Range(0, 100, ErrorMessage = StartRolloutRequest.CanaryMessage)] int? CanaryPercent)
{
    private const string VersionMessage = "version is required and must be at least 1.";
    private const string CanaryMessage = "canaryPercent is required and must be between 0 and 100.";
}

public sealed record RolloutResponse(
    Guid Id,
    string TemplateId,
    int Version,
    int PreviousActiveVersion,
    int CanaryPercent,
    string Status,
    string StartedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    RolloutProgress Progress,
    IReadOnlyList<RolloutAgentState> Agents);

public sealed record RolloutProgress(int Total, int Canary, int Pending, int Applied, int Failed, int RolledBack, int RollbackFailed, int Skipped);

public sealed record RolloutAgentState(Guid AgentId, bool Canary, int PreviousVersion, string State, string? Error, DateTimeOffset UpdatedAt);

/// <summary>A new project: a name unique among the caller's projects and, optionally, the GitHub repository it is about.</summary>
public sealed record CreateProjectRequest(
    [property: Required(ErrorMessage = CreateProjectRequest.NameMessage), NotBlank(ErrorMessage = CreateProjectRequest.NameMessage),
        StringLength(Project.MaxNameLength, ErrorMessage = CreateProjectRequest.NameMessage)] string? Name,
    [property: RegularExpression(@"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$", ErrorMessage = CreateProjectRequest.RepositoryMessage)] string? Repository)
    : IValidatableObject
{
    private const string NameMessage = "name is required: 1 to 100 characters, not only spaces.";
    private const string RepositoryMessage = "repository, when given, is a GitHub repository as owner/name.";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Name is not null && Name.Any(char.IsControl))
        {
            yield return new ValidationResult("name must not hold control characters (line breaks, tabs, …).", [nameof(Name)]);
        }
    }
}

/// <summary>One of the caller's projects as lists show it.</summary>
/// <param name="LettaInstance">Where the project's agents live; null until its first agent.</param>
/// <param name="SharedBlockLabel">The label of the memory block its agents share (<c>project_context</c>).</param>
public sealed record ProjectResponse(
    Guid Id, string Name, string? Repository, string? LettaInstance, string SharedBlockLabel, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ProjectResponse From(Project project) =>
        new(project.Id, project.Name, project.Repository, project.LettaInstance, Project.SharedLabel, project.CreatedAt, project.UpdatedAt);
}

/// <summary>A project with its agents and its shared block.</summary>
/// <param name="Agents">The caller's agents for this project (<c>projectId</c> = the project's id), oldest first.</param>
/// <param name="SharedBlock">The shared block: its label, its Letta id (null until the first agent), and where its versions are read.</param>
public sealed record ProjectDetails(
    Guid Id, string Name, string? Repository, string? LettaInstance, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    ProjectSharedBlock SharedBlock, IReadOnlyList<ProjectAgent> Agents);

/// <param name="MemoryPath">The memory-sync route of the block (value, history, diff, rollback): <c>/api/memory/projects/{id}/blocks/project_context</c>.</param>
public sealed record ProjectSharedBlock(string Label, string? LettaBlockId, string MemoryPath);

/// <param name="SharesProjectContext">Whether the agent holds the project's shared block (false for an agent made before the project had one).</param>
public sealed record ProjectAgent(Guid Id, string TemplateId, int TemplateVersion, string Status, string? LettaInstance, bool SharesProjectContext, DateTimeOffset CreatedAt);
