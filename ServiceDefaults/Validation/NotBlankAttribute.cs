using System.ComponentModel.DataAnnotations;

namespace LettaPlatform.ServiceDefaults.Validation;

/// <summary>
/// An optional string that, when given, holds more than white space. <see cref="RequiredAttribute"/>
/// is the same rule for a string that must be given.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class NotBlankAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value is not string text || !string.IsNullOrWhiteSpace(text);
}
