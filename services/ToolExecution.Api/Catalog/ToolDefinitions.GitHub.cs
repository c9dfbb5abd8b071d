using LettaPlatform.Contracts.ToolExecution;

namespace LettaPlatform.ToolExecution.Api.Catalog;

/// <summary>The code assistant's and the documentation writer's GitHub tools (issue 16).</summary>
public static partial class ToolDefinitions
{
    public const string ReadRepositoryContents = "read_repository_contents";
    public const string ListPullRequests = "list_pull_requests";
    public const string GetPullRequest = "get_pull_request";
    public const string PostPullRequestReview = "post_pull_request_review";
    public const string ReadRepositoryDocs = "read_repository_docs";
    public const string ProposeDocumentationChange = "propose_documentation_change";

    private const string RepositoryProperty =
        """ "repository": { "type": "string", "maxLength": 140, "pattern": "^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$", "examples": ["owner/name"], "description": "The repository as owner/name." } """;

    private const string RefProperty =
        """ "ref": { "type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[^\\s~^:?*\\[\\\\]+$", "examples": ["main"], "description": "A branch, tag or commit SHA; the default branch when omitted." } """;

    // Relative, no leading slash, no empty, . or .. segment, no backslash.
    private const string PathPattern = """^(?!/)(?!.*//)(?!(.*/)?\\.\\.?(/|$))[^\\\\]*$""";

    private const string NumberProperty =
        """ "number": { "type": "integer", "minimum": 1, "maximum": 2147483647, "description": "The pull request's number." } """;

    // Called while All is built: a method, so it never depends on the order of the partial files' initializers.
    private static IEnumerable<ToolDefinition> CodeAndDocumentationTools() =>
    [
        new(ReadRepositoryContents,
            "Reads a file, or lists a folder, of a GitHub repository the user has allowed, at a branch, tag or commit. "
            + "path \"\" (or omitted) lists the root. A file comes back whole as text (with its size and line count); "
            + "a file larger than the tools read is refused rather than cut. Use it to look at code before commenting on it." + DataNotice,
            Schema($$"""
            {
              "type": "object",
              "properties": {
                {{RepositoryProperty}},
                "path": { "type": "string", "maxLength": 1000, "pattern": "{{PathPattern}}", "examples": ["src/app.cs"], "description": "The file or folder, relative to the repository root; \"\" for the root." },
                {{RefProperty}}
              },
              "required": ["repository"],
              "additionalProperties": false
            }
            """),
            ToolRisks.Read,
            RequiresApproval: false),
        new(ListPullRequests,
            "Lists the open pull requests of a GitHub repository the user has allowed, newest first: number, title, author, "
            + "branches and whether each is a draft. Use it to find the number of a pull request to review." + DataNotice,
            Schema($$"""
            {
              "type": "object",
              "properties": {
                {{RepositoryProperty}},
                "limit": { "type": "integer", "minimum": 1, "maximum": 50, "description": "At most this many pull requests (default 20)." }
              },
              "required": ["repository"],
              "additionalProperties": false
            }
            """),
            ToolRisks.Read,
            RequiresApproval: false),
        new(GetPullRequest,
            "Reads one pull request of a GitHub repository the user has allowed: title, description, state, branches, head commit, "
            + "the changed files with their additions and deletions, and the diff (unified format, the files' patches). A long diff is cut "
            + "and the result says so (diff_truncated, note). Read it before reviewing the pull request." + DataNotice,
            Schema($$"""
            {
              "type": "object",
              "properties": {
                {{RepositoryProperty}},
                {{NumberProperty}}
              },
              "required": ["repository", "number"],
              "additionalProperties": false
            }
            """),
            ToolRisks.Read,
            RequiresApproval: false),
        new(PostPullRequestReview,
            "Posts your review of an open pull request on GitHub, in a repository the user has allowed: the verdict (event APPROVE, "
            + "REQUEST_CHANGES or COMMENT), a summary (body; required unless approving) and comments on lines of the diff. "
            + "A comment's line is a line number in the file: side RIGHT (default) for an added or unchanged line of the new file, "
            + "LEFT for a removed line; it must be inside the diff that get_pull_request showed. The person is asked to approve every "
            + "call before it runs. Returns the review's id and URL." + DataNotice,
            Schema($$"""
            {
              "type": "object",
              "properties": {
                {{RepositoryProperty}},
                {{NumberProperty}},
                "event": { "type": "string", "enum": ["APPROVE", "REQUEST_CHANGES", "COMMENT"], "description": "The verdict." },
                "body": { "type": "string", "maxLength": 20000, "description": "The review's summary, in Markdown." },
                "comments": {
                  "type": "array",
                  "maxItems": 30,
                  "description": "Comments on lines of the diff.",
                  "items": {
                    "type": "object",
                    "properties": {
                      "path": { "type": "string", "minLength": 1, "maxLength": 1000, "description": "The changed file, as listed by get_pull_request." },
                      "line": { "type": "integer", "minimum": 1, "description": "The line number in the file (new file for RIGHT, old file for LEFT)." },
                      "side": { "type": "string", "enum": ["RIGHT", "LEFT"], "description": "RIGHT (default): added or unchanged line; LEFT: removed line." },
                      "body": { "type": "string", "minLength": 1, "maxLength": 4000, "description": "The comment, in Markdown." }
                    },
                    "required": ["path", "line", "body"],
                    "additionalProperties": false
                  }
                }
              },
              "required": ["repository", "number", "event"],
              "additionalProperties": false
            }
            """),
            ToolRisks.Write,
            RequiresApproval: true),
        new(ReadRepositoryDocs,
            "Reads the documentation of a GitHub repository the user has allowed: its README (whole, as text) and the list of files in "
            + "its docs/ folder. Read a docs file with read_repository_contents. Use it before proposing a documentation change, "
            + "to follow the project's conventions." + DataNotice,
            Schema($$"""
            {
              "type": "object",
              "properties": {
                {{RepositoryProperty}},
                {{RefProperty}}
              },
              "required": ["repository"],
              "additionalProperties": false
            }
            """),
            ToolRisks.Read,
            RequiresApproval: false),
        new(ProposeDocumentationChange,
            "Proposes a documentation change to a GitHub repository the user has allowed, as a pull request: it commits the files you "
            + "give (each with its whole new content; new files are created) on a new branch from base and opens a pull request into base. "
            + "Only documentation files: under docs/ or doc/, README, CHANGELOG, CONTRIBUTING, or .md, .mdx, .markdown, .rst, .adoc, .txt. "
            + "The person sees the diff and is asked to approve every call before it runs. Returns the pull request's number and URL." + DataNotice,
            Schema($$"""
            {
              "type": "object",
              "properties": {
                {{RepositoryProperty}},
                "title": { "type": "string", "minLength": 1, "maxLength": 256, "description": "The pull request's title." },
                "body": { "type": "string", "maxLength": 20000, "description": "The pull request's description, in Markdown: what changes and why." },
                "files": {
                  "type": "array",
                  "minItems": 1,
                  "maxItems": 10,
                  "description": "The files to write, each with its whole new content.",
                  "items": {
                    "type": "object",
                    "properties": {
                      "path": { "type": "string", "minLength": 1, "maxLength": 1000, "pattern": "{{PathPattern}}", "examples": ["docs/setup.md"], "description": "The file, relative to the repository root." },
                      "content": { "type": "string", "maxLength": 500000, "description": "The file's whole new content." }
                    },
                    "required": ["path", "content"],
                    "additionalProperties": false
                  }
                },
                "base": { "type": "string", "minLength": 1, "maxLength": 255, "description": "The branch to change; the repository's default branch when omitted." },
                "branch": { "type": "string", "minLength": 1, "maxLength": 200, "pattern": "^(?![/.-])(?!.*\\.\\.)(?!.*//)(?!.*@\\{)[A-Za-z0-9._/-]+(?<![/.])(?<!\\.lock)$", "examples": ["docs/readme-setup"], "description": "The new branch's name; made from the title when omitted." },
                "commit_message": { "type": "string", "minLength": 1, "maxLength": 1000, "description": "The commit message; the title when omitted." }
              },
              "required": ["repository", "title", "files"],
              "additionalProperties": false
            }
            """),
            ToolRisks.Write,
            RequiresApproval: true,
            Preview: ToolPreviewKinds.Diff),
    ];
}
