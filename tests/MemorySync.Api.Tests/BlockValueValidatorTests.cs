using LettaPlatform.MemorySync.Api.Services;

namespace LettaPlatform.MemorySync.Api.Tests;

public sealed class BlockValueValidatorTests
{
    [Theory]
    [InlineData("Alice likes Rust.\n\tShe works remotely.")]
    [InlineData("")]
    [InlineData("Her task list mentions sk-learn and a github_pat discussion.")]
    [InlineData("The word bearer alone is fine, and so is a short Bearer abc.")]
    public void Validate_OrdinaryText_HasNoErrors(string value)
    {
        Assert.Empty(BlockValueValidator.Validate(value, 1000));
    }

    [Theory]
    [InlineData("sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123", "API key")]
    [InlineData("gho_abcdefghijklmnopqrstuvwxyz0123456789", "GitHub token")]
    [InlineData("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AWS secret")]
    [InlineData("xoxb-123456789012-abcdefghij", "Slack")]
    [InlineData("AIzaSyA1234567890abcdefghijklmnopqrstuv", "Google")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXZhbHVl", "JSON Web Token")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----", "private key")]
    public void Validate_Secret_IsRefusedWithItsKind(string value, string kind)
    {
        var errors = BlockValueValidator.Validate($"note: {value}", 1000);

        Assert.Contains(errors["value"], m => m.Contains(kind, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Validate_NullOverLimitAndControlCharacters_ReportEachProblem()
    {
        Assert.Contains("required", BlockValueValidator.Validate(null, 10)["value"].Single());
        var errors = BlockValueValidator.Validate("0123456789\r", 10)["value"];

        Assert.Equal(2, errors.Length);
        Assert.Contains(errors, m => m.Contains("11 characters") && m.Contains("limit is 10"));
        Assert.Contains(errors, m => m.Contains("U+000D"));
    }
}
