using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LettaPlatform.TestInfrastructure;

/// <summary>Pull requests (docs.github.com/rest/pulls): create, list, get, list files, create a review.</summary>
public sealed partial class FakeGitHub
{
    private const string PullsDocs = "https://docs.github.com/rest/pulls/pulls";
    private const string ReviewsDocs = "https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request";

    private void MapPulls(WebApplication app)
    {
        app.MapPost("/repos/{owner}/{repo}/pulls", async (HttpContext context, string owner, string repo) =>
        {
            var body = (await BodyAsync(context))!;
            var head = body["head"]!.GetValue<string>();
            if (head == "already-open")
            {
                return ErrorResult((HttpStatusCode)422, "Validation Failed", $"{PullsDocs}#create-a-pull-request", new JsonArray(new JsonObject
                {
                    ["resource"] = "PullRequest",
                    ["code"] = "custom",
                    ["message"] = $"A pull request already exists for {owner}:{head}.",
                }));
            }

            PullRequests.Enqueue(($"{owner}/{repo}", body));
            var created = new FakePull(42, body["title"]?.GetValue<string>() ?? "", body["body"]?.GetValue<string>() ?? "", "open", Login(context)!,
                head, Repository($"{owner}/{repo}").ResolveCommit(head) ?? "6dcb09b5b57875f334f61aebed695e2e4193db5e", body["base"]!.GetValue<string>(),
                body["draft"]?.GetValue<bool>() ?? false, "2026-11-24T03:00:00Z", []);
            return Results.Json(PullJson(owner, repo, created, full: true), statusCode: 201);
        });

        // GET /repos/{owner}/{repo}/pulls?state=open&per_page&page: newest first.
        app.MapGet("/repos/{owner}/{repo}/pulls", (string owner, string repo, string? state, int? per_page, int? page) =>
        {
            var wanted = state ?? "open";
            var size = Math.Clamp(per_page ?? 30, 1, 100);
            var pulls = Repository($"{owner}/{repo}").Pulls.Values
                .Where(p => wanted == "all" || p.State == wanted)
                .OrderByDescending(p => p.CreatedAt, StringComparer.Ordinal)
                .Skip(((page ?? 1) - 1) * size).Take(size);
            return Results.Json(new JsonArray([.. pulls.Select(p => (JsonNode)PullJson(owner, repo, p, full: false))]));
        });

        app.MapGet("/repos/{owner}/{repo}/pulls/{number:int}", (string owner, string repo, int number) =>
            Repository($"{owner}/{repo}").Pulls.TryGetValue(number, out var pull)
                ? Results.Json(PullJson(owner, repo, pull, full: true))
                : ErrorResult(HttpStatusCode.NotFound, "Not Found", $"{PullsDocs}#get-a-pull-request"));

        // GET /repos/{owner}/{repo}/pulls/{number}/files?per_page&page (at most 100 a page).
        app.MapGet("/repos/{owner}/{repo}/pulls/{number:int}/files", (string owner, string repo, int number, int? per_page, int? page) =>
        {
            if (!Repository($"{owner}/{repo}").Pulls.TryGetValue(number, out var pull))
            {
                return ErrorResult(HttpStatusCode.NotFound, "Not Found", $"{PullsDocs}#list-pull-requests-files");
            }

            var size = Math.Clamp(per_page ?? 30, 1, 100);
            return Results.Json(new JsonArray([.. pull.Files.Skip(((page ?? 1) - 1) * size).Take(size).Select(f => (JsonNode)FileJson(owner, repo, pull, f))]));
        });

        // POST /repos/{owner}/{repo}/pulls/{number}/reviews: 200 with the review; 422 when a comment is not on a line of the diff.
        app.MapPost("/repos/{owner}/{repo}/pulls/{number:int}/reviews", async (HttpContext context, string owner, string repo, int number) =>
        {
            var repository = Repository($"{owner}/{repo}");
            if (!repository.Pulls.TryGetValue(number, out var pull))
            {
                return ErrorResult(HttpStatusCode.NotFound, "Not Found", ReviewsDocs);
            }

            var body = await BodyAsync(context) ?? [];
            var verdict = body["event"]?.GetValue<string>();
            var problems = new List<string>();
            if (verdict == "APPROVE" && pull.Author == Login(context))
            {
                problems.Add("Can not approve your own pull request");
            }

            foreach (var comment in body["comments"] as JsonArray ?? [])
            {
                var file = pull.Files.FirstOrDefault(f => f.FileName == comment?["path"]?.GetValue<string>());
                if (file is null)
                {
                    problems.Add("Path could not be resolved");
                }
                else if (comment!["line"] is not { } line || !DiffLines(file.Patch, comment["side"]?.GetValue<string>() ?? "RIGHT").Contains(line.GetValue<int>()))
                {
                    problems.Add("Pull request review thread line must be part of the diff");
                }
            }

            if (problems.Count > 0)
            {
                return ErrorResult((HttpStatusCode)422, "Unprocessable Entity", ReviewsDocs, new JsonArray([.. problems.Distinct().Select(p => (JsonNode)p)]));
            }

            repository.Reviews.Enqueue((number, body));
            var id = 80 + repository.Reviews.Count;
            var html = $"https://github.com/{owner}/{repo}/pull/{number}#pullrequestreview-{id}";
            return Results.Json(new JsonObject
            {
                ["id"] = id,
                ["node_id"] = $"PRR_{id}",
                ["user"] = UserJson(Login(context)!),
                ["body"] = body["body"]?.GetValue<string>() ?? "",
                ["state"] = verdict switch { "APPROVE" => "APPROVED", "REQUEST_CHANGES" => "CHANGES_REQUESTED", "COMMENT" => "COMMENTED", _ => "PENDING" },
                ["html_url"] = html,
                ["pull_request_url"] = $"{BaseUrl}repos/{owner}/{repo}/pulls/{number}",
                ["_links"] = new JsonObject
                {
                    ["html"] = new JsonObject { ["href"] = html },
                    ["pull_request"] = new JsonObject { ["href"] = $"{BaseUrl}repos/{owner}/{repo}/pulls/{number}" },
                },
                ["submitted_at"] = verdict is null ? null : "2026-11-24T04:00:00Z",
                ["commit_id"] = body["commit_id"]?.GetValue<string>() ?? pull.HeadSha,
                ["author_association"] = "COLLABORATOR",
            });
        });
    }

    private JsonObject PullJson(string owner, string repo, FakePull pull, bool full)
    {
        var url = $"{BaseUrl}repos/{owner}/{repo}/pulls/{pull.Number}";
        var json = new JsonObject
        {
            ["url"] = url,
            ["id"] = 1000 + pull.Number,
            ["node_id"] = $"PR_{pull.Number}",
            ["html_url"] = $"https://github.com/{owner}/{repo}/pull/{pull.Number}",
            ["diff_url"] = $"https://github.com/{owner}/{repo}/pull/{pull.Number}.diff",
            ["patch_url"] = $"https://github.com/{owner}/{repo}/pull/{pull.Number}.patch",
            ["issue_url"] = $"{BaseUrl}repos/{owner}/{repo}/issues/{pull.Number}",
            ["number"] = pull.Number,
            ["state"] = pull.State,
            ["locked"] = false,
            ["title"] = pull.Title,
            ["user"] = UserJson(pull.Author),
            ["body"] = pull.Body,
            ["created_at"] = pull.CreatedAt,
            ["updated_at"] = pull.CreatedAt,
            ["closed_at"] = pull.State == "closed" ? pull.CreatedAt : null,
            ["merged_at"] = null,
            ["merge_commit_sha"] = null,
            ["draft"] = pull.Draft,
            ["head"] = new JsonObject { ["label"] = $"{owner}:{pull.Head}", ["ref"] = pull.Head, ["sha"] = pull.HeadSha, ["user"] = UserJson(owner) },
            ["base"] = new JsonObject { ["label"] = $"{owner}:{pull.Base}", ["ref"] = pull.Base, ["sha"] = FakeRepository.MainCommit, ["user"] = UserJson(owner) },
            ["author_association"] = "CONTRIBUTOR",
        };
        if (full)
        {
            json["merged"] = false;
            json["mergeable"] = pull.State == "open" ? true : null;
            json["mergeable_state"] = pull.State == "open" ? "clean" : "unknown";
            json["merged_by"] = null;
            json["comments"] = 0;
            json["review_comments"] = 0;
            json["maintainer_can_modify"] = false;
            json["commits"] = 1;
            json["additions"] = pull.Files.Sum(f => f.Additions);
            json["deletions"] = pull.Files.Sum(f => f.Deletions);
            json["changed_files"] = pull.Files.Count;
        }

        return json;
    }

    private static JsonObject FileJson(string owner, string repo, FakePull pull, FakePullFile file)
    {
        var json = new JsonObject
        {
            ["sha"] = FakeRepository.BlobSha(file.FileName + file.Patch),
            ["filename"] = file.FileName,
            ["status"] = file.Status,
            ["additions"] = file.Additions,
            ["deletions"] = file.Deletions,
            ["changes"] = file.Additions + file.Deletions,
            ["blob_url"] = $"https://github.com/{owner}/{repo}/blob/{pull.HeadSha}/{file.FileName}",
            ["raw_url"] = $"https://github.com/{owner}/{repo}/raw/{pull.HeadSha}/{file.FileName}",
            ["contents_url"] = $"https://api.github.com/repos/{owner}/{repo}/contents/{file.FileName}?ref={pull.HeadSha}",
        };
        if (file.Patch is not null)
        {
            json["patch"] = file.Patch;
        }

        if (file.PreviousFileName is not null)
        {
            json["previous_filename"] = file.PreviousFileName;
        }

        return json;
    }

    /// <summary>The lines of one side a review comment may go on: inside a hunk, kept or (for that side) changed.</summary>
    private static HashSet<int> DiffLines(string? patch, string side)
    {
        var lines = new HashSet<int>();
        int oldLine = 0, newLine = 0;
        foreach (var text in (patch ?? "").Split('\n'))
        {
            if (Regex.Match(text, @"^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@") is { Success: true } hunk)
            {
                (oldLine, newLine) = (int.Parse(hunk.Groups[1].Value), int.Parse(hunk.Groups[2].Value));
            }
            else if (text.StartsWith('+'))
            {
                _ = side == "RIGHT" && lines.Add(newLine);
                newLine++;
            }
            else if (text.StartsWith('-'))
            {
                _ = side == "LEFT" && lines.Add(oldLine);
                oldLine++;
            }
            else if (text.StartsWith(' '))
            {
                lines.Add(side == "LEFT" ? oldLine : newLine);
                (oldLine, newLine) = (oldLine + 1, newLine + 1);
            }
        }

        return lines;
    }
}
