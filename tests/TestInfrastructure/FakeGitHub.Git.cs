using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LettaPlatform.TestInfrastructure;

/// <summary>
/// The Git database (docs.github.com/rest/git): get a reference, create a reference, get and create a
/// commit, create a tree (entries with <c>content</c>, or <c>sha: null</c> to delete a path).
/// </summary>
public sealed partial class FakeGitHub
{
    private const string GitDocs = "https://docs.github.com/rest/git";

    private void MapGit(WebApplication app)
    {
        // GET /repos/{owner}/{repo}/git/ref/{ref}, ref as heads/<branch>.
        app.MapGet("/repos/{owner}/{repo}/git/ref/{**reference}", (string owner, string repo, string reference) =>
            reference.StartsWith("heads/", StringComparison.Ordinal) && Repository($"{owner}/{repo}").Branch(reference["heads/".Length..]) is { } sha
                ? Results.Json(RefJson(owner, repo, "refs/" + reference, sha))
                : ErrorResult(HttpStatusCode.NotFound, "Not Found", $"{GitDocs}/refs#get-a-reference"));

        app.MapPost("/repos/{owner}/{repo}/git/refs", async (HttpContext context, string owner, string repo) =>
        {
            var repository = Repository($"{owner}/{repo}");
            var body = await BodyAsync(context) ?? [];
            repository.GitWrites.Enqueue(("POST /git/refs", body));
            var name = body["ref"]?.GetValue<string>() ?? "";
            var sha = body["sha"]?.GetValue<string>() ?? "";
            const string docs = $"{GitDocs}/refs#create-a-reference";
            if (!name.StartsWith("refs/heads/", StringComparison.Ordinal) || name.Count(c => c == '/') < 2)
            {
                return ErrorResult((HttpStatusCode)422, "Reference name must start with 'refs/' and have at least two slashes.", docs);
            }

            if (repository.Commit(sha) is null)
            {
                return ErrorResult((HttpStatusCode)422, "Object does not exist", docs);
            }

            return repository.TryCreateBranch(name["refs/heads/".Length..], sha)
                ? Results.Json(RefJson(owner, repo, name, sha), statusCode: 201)
                : ErrorResult((HttpStatusCode)422, "Reference already exists", docs);
        });

        app.MapGet("/repos/{owner}/{repo}/git/commits/{sha}", (string owner, string repo, string sha) =>
            Repository($"{owner}/{repo}").Commit(sha) is { } commit
                ? Results.Json(CommitObjectJson(owner, repo, commit))
                : ErrorResult(HttpStatusCode.NotFound, "Not Found", $"{GitDocs}/commits#get-a-commit-object"));

        app.MapPost("/repos/{owner}/{repo}/git/commits", async (HttpContext context, string owner, string repo) =>
        {
            var repository = Repository($"{owner}/{repo}");
            var body = await BodyAsync(context) ?? [];
            repository.GitWrites.Enqueue(("POST /git/commits", body));
            var tree = body["tree"]?.GetValue<string>() ?? "";
            var parents = (body["parents"] as JsonArray ?? []).Select(p => p!.GetValue<string>()).ToList();
            const string docs = $"{GitDocs}/commits#create-a-commit";
            if (repository.Tree(tree) is null || parents.Any(p => repository.Commit(p) is null))
            {
                return ErrorResult((HttpStatusCode)422, repository.Tree(tree) is null ? "Tree SHA does not exist" : "Parent SHA does not exist or is not a commit object", docs);
            }

            var sha = repository.AddCommit(null, parents, body["message"]?.GetValue<string>() ?? "", "2026-11-24T05:00:00Z", treeSha: tree);
            return Results.Json(CommitObjectJson(owner, repo, repository.Commit(sha)!), statusCode: 201);
        });

        app.MapPost("/repos/{owner}/{repo}/git/trees", async (HttpContext context, string owner, string repo) =>
        {
            var repository = Repository($"{owner}/{repo}");
            var body = await BodyAsync(context) ?? [];
            repository.GitWrites.Enqueue(("POST /git/trees", body));
            const string docs = $"{GitDocs}/trees#create-a-tree";
            var files = body["base_tree"]?.GetValue<string>() is { } baseTree
                ? repository.Tree(baseTree) is { } existing ? new Dictionary<string, string>(existing, StringComparer.Ordinal) : null
                : new Dictionary<string, string>(StringComparer.Ordinal);
            if (files is null)
            {
                return ErrorResult((HttpStatusCode)422, "Invalid tree info", docs);
            }

            foreach (var entry in body["tree"] as JsonArray ?? [])
            {
                var path = entry?["path"]?.GetValue<string>() ?? "";
                var hasSha = entry!.AsObject().TryGetPropertyValue("sha", out var sha);
                var content = entry["content"]?.GetValue<string>();
                if (hasSha && content is not null)
                {
                    return ErrorResult((HttpStatusCode)422, "Only one of 'content' or 'sha' may be given for a tree entry", docs);
                }

                if (hasSha && sha is null)
                {
                    files.Remove(path);
                }
                else if (content is not null)
                {
                    files[path] = content;
                }
                else
                {
                    return ErrorResult((HttpStatusCode)422, "Invalid tree info", docs);
                }
            }

            var treeSha = repository.AddTree(files);
            return Results.Json(new JsonObject
            {
                ["sha"] = treeSha,
                ["url"] = $"{BaseUrl}repos/{owner}/{repo}/git/trees/{treeSha}",
                ["tree"] = new JsonArray([.. files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => (JsonNode)new JsonObject
                {
                    ["path"] = f.Key,
                    ["mode"] = "100644",
                    ["type"] = "blob",
                    ["size"] = Encoding.UTF8.GetByteCount(f.Value),
                    ["sha"] = FakeRepository.BlobSha(f.Value),
                    ["url"] = $"{BaseUrl}repos/{owner}/{repo}/git/blobs/{FakeRepository.BlobSha(f.Value)}",
                })]),
                ["truncated"] = false,
            }, statusCode: 201);
        });
    }

    private JsonObject RefJson(string owner, string repo, string name, string sha) => new()
    {
        ["ref"] = name,
        ["node_id"] = "REF_" + sha[..8],
        ["url"] = $"{BaseUrl}repos/{owner}/{repo}/git/{name}",
        ["object"] = new JsonObject { ["type"] = "commit", ["sha"] = sha, ["url"] = $"{BaseUrl}repos/{owner}/{repo}/git/commits/{sha}" },
    };

    private JsonObject CommitObjectJson(string owner, string repo, FakeCommit commit)
    {
        var person = new JsonObject { ["date"] = commit.Date, ["name"] = "Mona Lisa", ["email"] = "mona@example.com" };
        return new JsonObject
        {
            ["sha"] = commit.Sha,
            ["node_id"] = "C_" + commit.Sha[..8],
            ["url"] = $"{BaseUrl}repos/{owner}/{repo}/git/commits/{commit.Sha}",
            ["html_url"] = $"https://github.com/{owner}/{repo}/commit/{commit.Sha}",
            ["author"] = person,
            ["committer"] = person.DeepClone(),
            ["message"] = commit.Message,
            ["tree"] = new JsonObject { ["url"] = $"{BaseUrl}repos/{owner}/{repo}/git/trees/{commit.TreeSha}", ["sha"] = commit.TreeSha },
            ["parents"] = new JsonArray([.. commit.Parents.Select(p => (JsonNode)new JsonObject
            {
                ["url"] = $"{BaseUrl}repos/{owner}/{repo}/git/commits/{p}",
                ["sha"] = p,
                ["html_url"] = $"https://github.com/{owner}/{repo}/commit/{p}",
            })]),
            ["verification"] = new JsonObject { ["verified"] = false, ["reason"] = "unsigned", ["signature"] = null, ["payload"] = null, ["verified_at"] = null },
        };
    }
}
