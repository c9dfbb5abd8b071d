using LettaPlatform.ToolExecution.Api.GitHub;

namespace LettaPlatform.ToolExecution.Api.Tests;

/// <summary>The diff a person sees before approving a documentation change, and the diff lines a review comment may go on.</summary>
public sealed class UnifiedDiffTests
{
    private static readonly string Ten = string.Concat(Enumerable.Range(1, 10).Select(i => $"line {i}\n"));

    [Fact]
    public void Create_OneChangedLine_ShowsItWithThreeLinesOfContext()
    {
        var diff = UnifiedDiff.Create("a.md", Ten, Ten.Replace("line 5\n", "LINE FIVE\n", StringComparison.Ordinal));

        Assert.Equal("--- a/a.md\n+++ b/a.md\n@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+LINE FIVE\n line 6\n line 7\n line 8\n", diff);
    }

    [Fact]
    public void Create_ChangesFarApart_MakeTwoHunks_ChangesClose_One()
    {
        var lines = string.Concat(Enumerable.Range(1, 20).Select(i => $"line {i}\n"));

        var apart = UnifiedDiff.Create("a.md", lines, lines.Replace("line 2\n", "two\n", StringComparison.Ordinal).Replace("line 18\n", "eighteen\n", StringComparison.Ordinal));
        var close = UnifiedDiff.Create("a.md", lines, lines.Replace("line 2\n", "two\n", StringComparison.Ordinal).Replace("line 8\n", "eight\n", StringComparison.Ordinal));

        Assert.Equal(["@@ -1,5 +1,5 @@", "@@ -15,6 +15,6 @@"], apart.Split('\n').Where(l => l.StartsWith("@@", StringComparison.Ordinal)));
        Assert.Equal(["@@ -1,11 +1,11 @@"], close.Split('\n').Where(l => l.StartsWith("@@", StringComparison.Ordinal)));
    }

    [Fact]
    public void Create_InsertedAndRemovedLines_CountBothSides()
    {
        var diff = UnifiedDiff.Create("a.md", "a\nb\nc\n", "a\nx\ny\nc\nd\n");

        Assert.Equal("--- a/a.md\n+++ b/a.md\n@@ -1,3 +1,5 @@\n a\n-b\n+x\n+y\n c\n+d\n", diff);
    }

    [Fact]
    public void Create_NewFile_IsAllAdded_AndNoChange_IsEmpty()
    {
        Assert.Equal("--- /dev/null\n+++ b/docs/new.md\n@@ -0,0 +1,2 @@\n+# New\n+\n", UnifiedDiff.Create("docs/new.md", null, "# New\n\n"));
        Assert.Equal("", UnifiedDiff.Create("a.md", "same\r\n", "same\n"));
    }

    [Theory]
    [InlineData(7, "RIGHT", true)]
    [InlineData(6, "RIGHT", true)]
    [InlineData(1, "RIGHT", false)]
    [InlineData(9, "RIGHT", false)]
    [InlineData(7, "LEFT", true)]
    [InlineData(8, "LEFT", false)]
    public void Commentable_OnlyLinesOfTheHunksOnThatSide(int line, string side, bool expected)
    {
        var patch = FakeRepository.Seed("octo/app").Pulls[12].Files[0].Patch;

        Assert.Equal(expected, PullRequestDiff.Commentable(patch, line, side));
        Assert.Equal("2–8", PullRequestDiff.DescribeCommentable(patch, "RIGHT"));
    }
}
