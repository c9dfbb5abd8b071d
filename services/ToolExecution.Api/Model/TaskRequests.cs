using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using LettaPlatform.ServiceDefaults.Validation;

namespace LettaPlatform.ToolExecution.Api.Model;

/// <summary>A new task; the rules are declared here and checked before the handler runs.</summary>
public sealed record CreateTaskRequest(
    [property: Required(ErrorMessage = "title is required."), StringLength(TaskRules.TitleMaxLength, ErrorMessage = TaskRules.TitleLengthMessage)] string? Title,
    [property: StringLength(TaskRules.DescriptionMaxLength, ErrorMessage = TaskRules.DescriptionLengthMessage)] string? Description,
    [property: ProjectId] string? ProjectId,
    [property: OneOf(TaskPriorities.Low, TaskPriorities.Medium, TaskPriorities.High)] string? Priority,
    [property: IsoDate] string? DueDate);

/// <summary>Subtasks to add to a task, in order: 1 to <see cref="TaskRules.MaxSubtasks"/> titles, none blank or too long.</summary>
public sealed record BreakDownTaskRequest(IReadOnlyList<string>? Titles) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Titles is null || Titles.Count == 0 || Titles.Count > TaskRules.MaxSubtasks)
        {
            yield return new ValidationResult($"titles must hold 1 to {TaskRules.MaxSubtasks} subtask titles.", [nameof(Titles)]);
            yield break;
        }

        if (Titles.Any(title => string.IsNullOrWhiteSpace(title) || title.Length > TaskRules.TitleMaxLength))
        {
            yield return new ValidationResult($"every title must be 1 to {TaskRules.TitleMaxLength} characters, not blank.", [nameof(Titles)]);
        }
    }
}

/// <summary>
/// The fields of a task to change: only those present in the body change, and <c>"dueDate": null</c>
/// removes the due date, so each property records whether the body had it.
/// </summary>
public sealed record UpdateTaskRequest : IValidatableObject
{
    private static readonly string[] Changeable = ["title", "description", "status", "priority", "dueDate"];

    [StringLength(TaskRules.TitleMaxLength, ErrorMessage = TaskRules.TitleLengthMessage)]
    public string? Title { get; init { field = value; HasTitle = true; } }

    [StringLength(TaskRules.DescriptionMaxLength, ErrorMessage = TaskRules.DescriptionLengthMessage)]
    public string? Description { get; init; }

    [OneOf(TaskStatuses.Todo, TaskStatuses.InProgress, TaskStatuses.Done)]
    public string? Status { get; init; }

    [OneOf(TaskPriorities.Low, TaskPriorities.Medium, TaskPriorities.High)]
    public string? Priority { get; init; }

    [IsoDate]
    public string? DueDate { get; init { field = value; HasDueDate = true; } }

    [JsonIgnore]
    public bool HasTitle { get; private init; }

    [JsonIgnore]
    public bool HasDueDate { get; private init; }

    /// <summary>Fields the body named that a task does not have (or that cannot be changed).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HasTitle && string.IsNullOrWhiteSpace(Title))
        {
            yield return new ValidationResult("title must not be empty.", [nameof(Title)]);
        }

        foreach (var name in Unknown?.Keys ?? Enumerable.Empty<string>())
        {
            yield return new ValidationResult($"{name} cannot be changed; the fields are {string.Join(", ", Changeable)}.", [name]);
        }
    }
}

/// <summary>A task's project: letters, digits, '.', '_' or '-', at most <see cref="TaskRules.ProjectIdMaxLength"/> characters.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ProjectIdAttribute() : ValidationAttribute(
    $"projectId must be letters, digits, '.', '_' or '-' (at most {TaskRules.ProjectIdMaxLength}).")
{
    public override bool IsValid(object? value) => value is null || (value is string text && TaskRules.IsValidProjectId(text));
}

/// <summary>A calendar date written as YYYY-MM-DD.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class IsoDateAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value is null || (value is string text && TaskRules.TryParseDate(text, out _));

    public override string FormatErrorMessage(string name) => $"{JsonNamingPolicy.CamelCase.ConvertName(name)} must be a date as YYYY-MM-DD.";
}
