using System.Globalization;
using System.Text.RegularExpressions;

namespace LettaPlatform.ToolExecution.Api.Model;

/// <summary>The limits of a task's fields, shared by the REST API, the tool schemas and the database.</summary>
public static partial class TaskRules
{
    public const int TitleMaxLength = 200;
    public const int DescriptionMaxLength = 4000;
    public const int ProjectIdMaxLength = 100;
    /// <summary>At most this many subtasks are added in one breakdown, and a task has at most this many.</summary>
    public const int MaxSubtasks = 20;

    /// <summary>How far ahead "due soon" looks unless told otherwise, and at most.</summary>
    public const int DefaultDueSoonDays = 7;
    public const int MaxDueSoonDays = 60;

    public const string ProjectIdPattern = "^[A-Za-z0-9][A-Za-z0-9._-]*$";

    // {1} is the attribute's maximum length.
    public const string TitleLengthMessage = "title must be at most {1} characters.";
    public const string DescriptionLengthMessage = "description must be at most {1} characters.";

    public static bool IsValidProjectId(string value) => value.Length <= ProjectIdMaxLength && ProjectId().IsMatch(value);

    public static bool TryParseDate(string value, out DateOnly date) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    [GeneratedRegex(ProjectIdPattern)]
    private static partial Regex ProjectId();
}
