using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using LettaPlatform.Chat.Api.Data;
using LettaPlatform.Chat.Api.Model;
using LettaPlatform.ServiceDefaults.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace LettaPlatform.Chat.Api.Tests;

/// <summary>Log analysis: the admin summary of a time window, from the turns table.</summary>
public sealed class TurnSummaryTests(ChatFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Summary_OfAUsersWindow_CountsStatusesTokensSlowestTurnsAndTopErrorCodes()
    {
        var userId = $"user-{Guid.NewGuid():N}";
        using var client = new ChatClient(fixture.Chat.CreateClientFor(userId));
        var sessionId = await client.CreateSessionIdAsync();
        await client.SendAsync(sessionId, "hello");
        await client.SendAsync(sessionId, "list my tasks");
        var from = DateTimeOffset.UtcNow.AddMinutes(-5);
        var slowFailed = Guid.CreateVersion7();
        await using (var scope = fixture.Chat.Services.CreateAsyncScope())
        {
            // A turn that failed after a long wait, as the turn path stores one (its error event's code included).
            var db = scope.ServiceProvider.GetRequiredService<ChatDbContext>();
            db.Turns.Add(new ChatTurn
            {
                Id = slowFailed, SessionId = Guid.Parse(sessionId), UserId = userId, Status = "failed", ErrorCode = "letta_error",
                StartedAt = from.AddMinutes(1), CompletedAt = from.AddMinutes(1).AddSeconds(95),
            });
            await db.SaveChangesAsync(Ct);
        }

        var summary = await GetAsync(Admin(), $"?userId={userId}&from={Uri.EscapeDataString(from.ToString("O"))}&top=5", HttpStatusCode.OK);

        Assert.Equal(3, summary["turns"]!.GetValue<int>());
        Assert.Equal(2, summary["byStatus"]!["completed"]!.GetValue<int>());
        Assert.Equal(1, summary["byStatus"]!["failed"]!.GetValue<int>());
        Assert.Equal(1, summary["people"]!.GetValue<int>());
        Assert.True(summary["promptTokens"]!.GetValue<long>() > 0);
        Assert.True(summary["toolCalls"]!.GetValue<long>() >= 1);
        var slowest = summary["slowest"]!.AsArray();
        Assert.Equal(3, slowest.Count);
        Assert.Equal(slowFailed.ToString(), slowest[0]!["turnId"]!.GetValue<string>());
        Assert.Equal(95_000, slowest[0]!["durationMs"]!.GetValue<double>(), precision: 0);
        Assert.True(slowest[1]!["durationMs"]!.GetValue<double>() >= slowest[2]!["durationMs"]!.GetValue<double>());
        var error = Assert.Single(summary["topErrorCodes"]!.AsArray())!;
        Assert.Equal(("letta_error", 1), (error["code"]!.GetValue<string>(), error["count"]!.GetValue<int>()));

        // Another user's window holds none of it.
        var other = await GetAsync(Admin(), $"?userId=someone-else-{Guid.NewGuid():N}&from={Uri.EscapeDataString(from.ToString("O"))}", HttpStatusCode.OK);
        Assert.Equal((0, 0), (other["turns"]!.GetValue<int>(), other["slowest"]!.AsArray().Count));
    }

    [Fact]
    public async Task Summary_NonAdminOrBadWindow_Answers4xx()
    {
        using var user = fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}");
        await GetAsync(user, "", HttpStatusCode.Forbidden);

        var admin = Admin();
        var now = DateTimeOffset.UtcNow;
        await GetAsync(admin, $"?from={Uri.EscapeDataString(now.ToString("O"))}&to={Uri.EscapeDataString(now.AddHours(-1).ToString("O"))}", HttpStatusCode.BadRequest);
        await GetAsync(admin, $"?from={Uri.EscapeDataString(now.AddDays(-40).ToString("O"))}", HttpStatusCode.BadRequest);
        await GetAsync(admin, "?top=0", HttpStatusCode.BadRequest);
        await GetAsync(admin, "?from=yesterday", HttpStatusCode.BadRequest);
    }

    private HttpClient Admin()
    {
        var client = fixture.Chat.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", new DevTokenIssuer(ChatApiHost.SigningKey).CreateToken("ops-admin", roles: [Roles.Admin]).AccessToken);
        return client;
    }

    private static async Task<JsonObject> GetAsync(HttpClient client, string query, HttpStatusCode expected)
    {
        using var response = await client.GetAsync($"/api/chat/admin/turns/summary{query}", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"{query}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }
}
