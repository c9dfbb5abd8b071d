using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace LettaPlatform.ServiceDefaults.Validation;

/// <summary>
/// A string field that, when given, is one of a fixed set of values (compared exactly). Unlike
/// <see cref="AllowedValuesAttribute"/>, an absent (null) value passes: <see cref="RequiredAttribute"/> says whether one is needed.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class OneOfAttribute(params string[] values) : ValidationAttribute
{
    public IReadOnlyList<string> Values { get; } = values;

    public override bool IsValid(object? value) => value is null || (value is string text && Values.Contains(text, StringComparer.Ordinal));

    public override string FormatErrorMessage(string name) =>
        ErrorMessage is null ? $"{JsonNamingPolicy.CamelCase.ConvertName(name)} must be one of {string.Join(", ", Values)}." : base.FormatErrorMessage(name);
}
