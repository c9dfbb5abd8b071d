namespace LettaPlatform.Deployment.Tests;

/// <summary>
/// Every relative link in the repository's Markdown files resolves inside a clone: the file or folder it
/// names is in the repository (tracked, or about to be: not ignored), and its <c>#anchor</c> is a heading of
/// the Markdown file it points at. External links are not fetched. The tests on small made-up folders show
/// the check finds what it should and passes over what it should.
/// </summary>
public sealed class MarkdownLinkTests
{
    [Fact]
    public void EveryRelativeLink_InTheRepositorysMarkdown_ResolvesInAClone()
    {
        var markdown = Repository.Files.Where(f => f.EndsWith(".md", StringComparison.OrdinalIgnoreCase)).ToList();
        var links = markdown.SelectMany(f => MarkdownLinks.Find(f, File.ReadAllText(Path.Combine(Repository.Root, f)))).ToList();

        Assert.Contains("README.md", markdown);
        Assert.Contains("docs/README.md", markdown);
        Assert.Contains(links, link => link.File == "README.md" && link.Target.StartsWith("docs/", StringComparison.Ordinal));

        var problems = MarkdownLinks.Check(Repository.Root, Repository.Files);
        Assert.True(problems.Count == 0, $"{problems.Count} broken links:\n{string.Join('\n', problems)}");
    }

    [Theory]
    [InlineData("Agent templates as code (lettactl)", "agent-templates-as-code-lettactl")]
    [InlineData("0. Platform status (Aug 2026): read first", "0-platform-status-aug-2026-read-first")]
    [InlineData("The outbox — and why", "the-outbox--and-why")]
    [InlineData("`ToolExecutionGuard`, in order", "toolexecutionguard-in-order")]
    [InlineData("The `__init__` and _emphasis_ of snake_case", "the-__init__-and-emphasis-of-snake_case")]
    [InlineData("See [the API](api.md#errors) first", "see-the-api-first")]
    [InlineData("Über die Café-Kette", "über-die-café-kette")]
    public void Slug_OfAHeading_IsGitHubs(string heading, string slug) =>
        Assert.Equal(slug, MarkdownLinks.Slug(heading));

    [Fact]
    public void Anchors_RepeatedHeadingsAndSetextHeadings_AreNumberedAndFound()
    {
        var anchors = MarkdownLinks.Anchors("""
            # Title

            ## Usage
            ## Usage
            Setext heading
            --------------

            ```
            ## Not a heading
            ```

            <a id="Custom-Id"></a>
            """);

        Assert.Equal(["Custom-Id", "setext-heading", "title", "usage", "usage-1"], anchors.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("not-a-heading", anchors);
    }

    [Fact]
    public void Check_BrokenFilesAnchorsAndEscapes_AreReported_CodeExternalAndValidLinksAreNot()
    {
        var root = Directory.CreateTempSubdirectory("markdown-links-").FullName;
        try
        {
            Write(root, "README.md", """
                # Readme

                [guide](docs/guide.md) · [section](docs/guide.md#first-steps) · [folder](docs/) · [self](#readme)
                [code](src/app.cs#L3) · [site](https://example.com/missing) · <https://example.com> · [mail](mailto:a@example.com)
                [missing file](docs/missing.md)
                [missing anchor](docs/guide.md#last-steps)
                [outside](../elsewhere.md)
                [ignored file](notes.txt)
                Inline code is not a link: `[x](nowhere.md)`.

                ```markdown
                [in a fence](nowhere.md)
                ```

                [ref]: docs/gone.md
                """);
            Write(root, "docs/guide.md", """
                # Guide

                ## First steps

                Back to the [readme](../README.md#readme) and [the code](/src/app.cs).
                """);
            Write(root, "src/app.cs", "class App;\n");
            Write(root, "notes.txt", "not in the clone\n");
            var files = new HashSet<string>(StringComparer.Ordinal) { "README.md", "docs/guide.md", "src/app.cs" };

            var problems = MarkdownLinks.Check(root, files);

            Assert.Collection(
                problems,
                p => Assert.StartsWith("README.md:5: (docs/missing.md) names no file or folder", p, StringComparison.Ordinal),
                p => Assert.StartsWith("README.md:6: (docs/guide.md#last-steps) names no heading of docs/guide.md", p, StringComparison.Ordinal),
                p => Assert.StartsWith("README.md:7: (../elsewhere.md) leaves the repository", p, StringComparison.Ordinal),
                p => Assert.StartsWith("README.md:8: (notes.txt) names no file or folder", p, StringComparison.Ordinal),
                p => Assert.StartsWith("README.md:15: (docs/gone.md) names no file or folder", p, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Write(string root, string path, string text)
    {
        var full = Path.Combine(root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }
}
