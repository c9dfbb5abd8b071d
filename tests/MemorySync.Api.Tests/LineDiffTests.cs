using LettaPlatform.MemorySync.Api.Services;
using Line = LettaPlatform.MemorySync.Api.Services.DiffLine;

namespace LettaPlatform.MemorySync.Api.Tests;

public sealed class LineDiffTests
{
    [Fact]
    public void Compute_IdenticalTexts_AllLinesEqual()
    {
        Assert.Equal([new Line("equal", "a"), new Line("equal", "b")], LineDiff.Compute("a\nb", "a\nb"));
    }

    [Fact]
    public void Compute_ChangedMiddleLine_RemovesOldAndAddsNew()
    {
        Assert.Equal(
            [new Line("equal", "a"), new Line("remove", "b"), new Line("add", "B"), new Line("equal", "c")],
            LineDiff.Compute("a\nb\nc", "a\nB\nc"));
    }

    [Fact]
    public void Compute_MovedAndInsertedLines_KeepsLongestCommonSubsequence()
    {
        var diff = LineDiff.Compute("x\na\nb\nc", "a\nb\ny\nc\nz");

        Assert.Equal(["a", "b", "c"], diff.Where(l => l.Op == "equal").Select(l => l.Text));
        Assert.Equal(["x"], diff.Where(l => l.Op == "remove").Select(l => l.Text));
        Assert.Equal(["y", "z"], diff.Where(l => l.Op == "add").Select(l => l.Text));
    }

    [Fact]
    public void Compute_FromEmpty_AddsEveryLine()
    {
        Assert.Equal([new Line("remove", ""), new Line("add", "one"), new Line("add", "two")], LineDiff.Compute("", "one\ntwo"));
    }

    [Fact]
    public void Compute_AnyPair_ReplaysToBothTexts()
    {
        var random = new Random(7);
        for (var round = 0; round < 200; round++)
        {
            var from = string.Join('\n', Enumerable.Range(0, random.Next(0, 12)).Select(_ => ((char)('a' + random.Next(4))).ToString()));
            var to = string.Join('\n', Enumerable.Range(0, random.Next(0, 12)).Select(_ => ((char)('a' + random.Next(4))).ToString()));

            var diff = LineDiff.Compute(from, to);

            Assert.Equal(from, string.Join('\n', diff.Where(l => l.Op != "add").Select(l => l.Text)));
            Assert.Equal(to, string.Join('\n', diff.Where(l => l.Op != "remove").Select(l => l.Text)));
        }
    }
}
