using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LettaPlatform.TestInfrastructure;

/// <summary>Repository contents: "Get repository content" and "Get a repository README" (docs.github.com/rest/repos/contents).</summary>
public sealed partial class FakeGitHub
{
    private const string ContentsDocs = "https://docs.github.com/rest/repos/contents#get-repository-content";
    private const string ReadmeDocs = "https://docs.github.com/rest/repos/contents#get-a-repository-readme";

    private void MapContents(WebApplication app)
    {
        // GET /repos/{owner}/{repo}/contents/{path}: a file as an object, a folder as an array of entries.
        app.MapGet("/repos/{owner}/{repo}/contents/{**path}", (string owner, string repo, string? path, string? @ref) =>
        {
            var repository = Repository($"{owner}/{repo}");
            var reference = @ref ?? "main";
            if (repository.FilesAt(reference) is not { } files)
            {
                return ErrorResult(HttpStatusCode.NotFound, $"No commit found for the ref {reference}", ContentsDocs);
            }

            path = (path ?? "").Trim('/');
            if (files.TryGetValue(path, out var content))
            {
                return Results.Json(FileJson(owner, repo, reference, path, content));
            }

            var prefix = path.Length == 0 ? "" : path + "/";
            var entries = files.Keys.Where(p => p.StartsWith(prefix, StringComparison.Ordinal))
                .Select(p => p[prefix.Length..].Split('/') is [var name] ? (Name: name, Type: "file") : (Name: p[prefix.Length..].Split('/')[0], Type: "dir"))
                .Distinct()
                .OrderBy(e => e.Name, StringComparer.Ordinal)
                .ToList();
            return entries.Count == 0
                ? ErrorResult(HttpStatusCode.NotFound, "Not Found", ContentsDocs)
                : Results.Json(new JsonArray([.. entries.Select(e => (JsonNode)EntryJson(owner, repo, reference, prefix + e.Name, e.Type == "file" ? files[prefix + e.Name] : null))]));
        });

        // GET /repos/{owner}/{repo}/readme: the README of the root folder, in the same shape as a file.
        app.MapGet("/repos/{owner}/{repo}/readme", (string owner, string repo, string? @ref) =>
        {
            var reference = @ref ?? "main";
            if (Repository($"{owner}/{repo}").FilesAt(reference) is not { } files)
            {
                return ErrorResult(HttpStatusCode.NotFound, $"No commit found for the ref {reference}", ReadmeDocs);
            }

            var readme = files.Keys.Where(p => !p.Contains('/', StringComparison.Ordinal) && p.StartsWith("README", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).FirstOrDefault();
            return readme is null
                ? ErrorResult(HttpStatusCode.NotFound, "Not Found", ReadmeDocs)
                : Results.Json(FileJson(owner, repo, reference, readme, files[readme]));
        });
    }

    private JsonObject FileJson(string owner, string repo, string reference, string path, string content)
    {
        var file = EntryJson(owner, repo, reference, path, content);
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(content));

        // GitHub wraps the Base64 text at 60 characters.
        file["content"] = string.Concat(Enumerable.Range(0, (base64.Length + 59) / 60).Select(i => base64.Substring(i * 60, Math.Min(60, base64.Length - (i * 60))) + "\n"));
        file["encoding"] = "base64";
        return file;
    }

    /// <summary>One entry of a folder listing; a file when <paramref name="content"/> is given, else a folder.</summary>
    private JsonObject EntryJson(string owner, string repo, string reference, string path, string? content)
    {
        var sha = content is null ? FakeRepository.BlobSha("tree " + path) : FakeRepository.BlobSha(content);
        var self = $"{BaseUrl}repos/{owner}/{repo}/contents/{path}?ref={reference}";
        var git = $"{BaseUrl}repos/{owner}/{repo}/git/{(content is null ? "trees" : "blobs")}/{sha}";
        var html = $"https://github.com/{owner}/{repo}/{(content is null ? "tree" : "blob")}/{reference}/{path}";
        return new JsonObject
        {
            ["type"] = content is null ? "dir" : "file",
            ["size"] = content is null ? 0 : Encoding.UTF8.GetByteCount(content),
            ["name"] = path.Split('/')[^1],
            ["path"] = path,
            ["sha"] = sha,
            ["url"] = self,
            ["git_url"] = git,
            ["html_url"] = html,
            ["download_url"] = content is null ? null : $"https://raw.githubusercontent.com/{owner}/{repo}/{reference}/{path}",
            ["_links"] = new JsonObject { ["self"] = self, ["git"] = git, ["html"] = html },
        };
    }
}
