using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Paging;
using LettaPlatform.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LettaPlatform.ServiceDefaults.Tests;

public sealed record ThingRequest(string? Title, bool? Approve, IReadOnlyList<string>? Tags);

/// <summary>
/// The shared error rules, on a service in the Development environment (where minimal APIs throw on
/// bad input): unreadable, wrongly typed or unstorable input is a 4xx problem with a code and a
/// sentence, never a 500, and the handler never runs.
/// </summary>
public sealed class ProblemDefaultsTests : IAsyncLifetime
{
    private const string SigningKey = "problem-defaults-tests-signing-key-0123456789";
    private static CancellationToken Token => TestContext.Current.CancellationToken;
    private WebApplication app = null!;
    private int handled;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = "problem-defaults-tests",
            ["Auth:DevSigningKey"] = SigningKey,
        });
        builder.AddServiceDefaults();
        app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapPost("/things", (ThingRequest request) =>
        {
            Interlocked.Increment(ref handled);
            return TypedResults.Ok(request);
        });
        app.MapGet("/things", (int? limit, string? cursor, Guid? sessionId, string? q) =>
        {
            Interlocked.Increment(ref handled);
            return Pagination.TryRead<TimePosition>(limit, cursor, out var query, out var problem)
                ? Results.Ok(Pagination.ToPage(Enumerable.Range(0, query.Limit + 1).ToList(), query.Limit, i => new TimePosition(DateTimeOffset.UnixEpoch.AddDays(i), Guid.Empty)))
                : problem;
        });
        app.MapGet("/things/{id:guid}", (Guid id) => TypedResults.Ok(id));
        app.MapGet("/me", (ClaimsPrincipal user) => user.GetUserId());
        app.MapPost("/saved-things", async () =>
        {
            // A real connection attempt to a port nothing listens on: what a service meets while its PostgreSQL restarts.
            using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            await using var connection = new Npgsql.NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=x;Password=x;Timeout=2");
            await connection.OpenAsync();
            return TypedResults.Ok();
        });
        await app.StartAsync(Token);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    public static TheoryData<string> BadBodies() =>
    [
        "{",
        "null",
        "[]",
        "\"str\"",
        "123",
        """{"approve":"true"}""",
        """{"title":5}""",
        """{"tags":"not-a-list"}""",
        """{"title":"\ud800"}""",
        """{"title":"a\udc00b"}""",
        new string('[', 200) + new string(']', 200),
        """{"title":""" + new string('[', 100) + new string(']', 100) + "}",
    ];

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Post_UnreadableOrWronglyTypedJson_Answers400ProblemAndNeverRunsHandler(string body)
    {
        using var response = await PostAsync(new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(0, handled);
    }

    [Fact]
    public async Task Post_DatabaseUnreachable_Answers503WithRetryAfter()
    {
        using var client = await ClientAsync("alice");
        using var response = await client.PostAsync("/saved-things", content: null, Token);

        var problem = await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("database_unavailable", problem["code"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Post_InvalidUtf8_Answers400Problem()
    {
        var bytes = new ByteArrayContent([.. "{\"title\":\""u8.ToArray(), 0xC3, 0x28, 0xFF, .. "\"}"u8.ToArray()]);
        bytes.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await PostAsync(bytes);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("malformed_request", problem["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"title":"a\u0000b"}""")]
    [InlineData("""{"tags":["ok","\u0000"]}""")]
    public async Task Post_NulInAnyString_Answers400UnstorableText(string body)
    {
        using var response = await PostAsync(new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("unstorable_text", problem["code"]!.GetValue<string>());
        Assert.Contains("U+0000", problem["detail"]!.GetValue<string>());
        Assert.Equal(0, handled);
    }

    [Fact]
    public async Task Post_WrongMediaType_Answers415Problem()
    {
        using var response = await PostAsync(new StringContent("""{"title":"x"}""", Encoding.UTF8, "text/plain"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("unsupported_media_type", problem["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_NoBody_Answers400Problem()
    {
        using var client = await ClientAsync("alice");
        using var response = await client.PostAsync("/things", content: null, Token);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(0, handled);
    }

    [Theory]
    [InlineData("limit=abc", "invalid_parameter")]
    [InlineData("limit=1.5", "invalid_parameter")]
    [InlineData("limit=2147483648", "invalid_parameter")]
    [InlineData("limit=1&limit=2", "invalid_parameter")]
    [InlineData("sessionId=not-a-guid", "invalid_parameter")]
    [InlineData("q=%00", "unstorable_text")]
    [InlineData("q=a%00b", "unstorable_text")]
    [InlineData("limit=0", "validation_failed")]
    [InlineData("limit=-1", "validation_failed")]
    [InlineData("limit=201", "validation_failed")]
    [InlineData("cursor=junk", "validation_failed")]
    [InlineData("cursor=AAAA", "validation_failed")]
    [InlineData("cursor=eyJWIjoiYzEiLCJQIjo1fQ", "validation_failed")]
    public async Task Get_BadQueryValue_Answers400ProblemWithCode(string query, string code)
    {
        using var client = await ClientAsync("alice");

        using var response = await client.GetAsync($"/things?{query}", Token);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(code, problem["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_Paging_NextCursorIsUrlSafeAndLeadsOn()
    {
        using var client = await ClientAsync("alice");

        var first = await client.GetFromJsonAsync<JsonObject>("/things?limit=2", Token);
        var cursor = first!["nextCursor"]!.GetValue<string>();
        using var next = await client.GetAsync($"/things?limit=2&cursor={cursor}", Token);

        Assert.Equal(2, first["items"]!.AsArray().Count);
        Assert.Matches("^[A-Za-z0-9_-]+$", cursor);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task UnknownRoute_AndNonGuidId_AnswerProblemWithCode()
    {
        using var client = await ClientAsync("alice");

        using var response = await client.GetAsync("/things/not-a-guid", Token);

        var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("not_found", problem["code"]!.GetValue<string>());
        Assert.StartsWith(ApiProblem.TypeBase, problem["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Token_SubjectOf255Characters_IsTheUser()
    {
        var subject = new string('s', AuthExtensions.MaxSubjectLength);
        using var client = await ClientAsync(subject);

        Assert.Equal(subject, await client.GetStringAsync("/me", Token));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a\u0000b")]
    [InlineData("tab\tin")]
    [InlineData("too-long")]
    public async Task Token_WithoutUsableSubject_Answers401Problem(string? subject)
    {
        using var client = app.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Sign(subject == "too-long" ? new string('s', 256) : subject));

        using var response = await client.GetAsync("/me", Token);

        var problem = await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("unauthorized", problem["code"]!.GetValue<string>());
    }

    private static string Sign(string? subject)
    {
        var claims = new Dictionary<string, object>();
        if (subject is not null)
        {
            claims["sub"] = subject;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = DevTokenIssuer.Issuer,
            Audience = DevTokenIssuer.Audience,
            Claims = claims,
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(DevTokenIssuer.CreateSigningKey(SigningKey), SecurityAlgorithms.HmacSha256),
        });
    }

    private Task<HttpClient> ClientAsync(string userId)
    {
        var client = app.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", new DevTokenIssuer(SigningKey).CreateToken(userId).AccessToken);
        return Task.FromResult(client);
    }

    private async Task<HttpResponseMessage> PostAsync(HttpContent content)
    {
        using var client = await ClientAsync("alice");
        return await client.PostAsync("/things", content, Token);
    }

    private static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(status == response.StatusCode, $"Expected {status}, got {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.False(string.IsNullOrWhiteSpace(problem["code"]?.GetValue<string>()), body);
        Assert.StartsWith(ApiProblem.TypeBase, problem["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()), body);
        return problem;
    }
}
