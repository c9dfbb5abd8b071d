using LettaPlatform.TestInfrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LettaPlatform.Browser.Tests;

/// <summary>
/// Signing in on the page with the platform's OpenID Connect provider (a real one: OpenIddict, code flow
/// with PKCE required), signing out of it, and a forged return being refused.
/// </summary>
public class SignInTests(BrowserPlatform platform, BrowserFixture browser)
{
    private string NewUser(string password)
    {
        var user = $"oidc-{Guid.NewGuid():N}"[..16];
        platform.IdentityProvider.AddUser(user, password);
        return user;
    }

    [Fact]
    public async Task ProviderSignIn_CodeWithPkce_SignedInAndTheApiAnswers()
    {
        var user = NewUser("correct horse");
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await Expect(chat.Page.GetByRole(AriaRole.Button, new() { Name = $"Sign in with {platform.IdentityProviderName}" })).ToBeFocusedAsync();
        await Expect(chat.Page.GetByLabel("User name")).ToBeVisibleAsync();
        await chat.ScreenshotAsync("00-sign-in-choices");

        await chat.Page.GetByRole(AriaRole.Button, new() { Name = $"Sign in with {platform.IdentityProviderName}" }).ClickAsync();
        await Expect(chat.Page.GetByRole(AriaRole.Heading, new() { Name = "Test identity provider" })).ToBeVisibleAsync();
        Assert.StartsWith(platform.IdentityProvider.Authority, chat.Page.Url, StringComparison.Ordinal);
        Assert.Contains("code_challenge_method=S256", chat.Page.Url, StringComparison.Ordinal);
        await chat.ScreenshotAsync("00-provider-login");
        await chat.Page.GetByLabel("Username").FillAsync(user);
        await chat.Page.GetByLabel("Password").FillAsync("correct horse");
        await chat.Page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();

        await Expect(chat.Page.Locator("#who-name")).ToHaveTextAsync($"Signed in as {user}");
        await Expect(chat.Page.Locator("#template option")).ToHaveCountAsync(3);
        Assert.Equal(new Uri(platform.GatewayUrl, "/").ToString(), chat.Page.Url);
        var exchange = platform.IdentityProvider.TokenRequests.Last(fields => fields.GetValueOrDefault("client_id") == platform.WebClientId);
        Assert.Equal("authorization_code", exchange["grant_type"]);
        Assert.True(exchange["code_verifier"].Length >= 43, "a PKCE verifier of at least 43 characters");

        await chat.Page.GetByLabel("New task").FillAsync("Task of a provider user");
        await chat.Page.GetByRole(AriaRole.Button, new() { Name = "Add task" }).ClickAsync();
        await Expect(chat.Page.Locator("#tasks li")).ToContainTextAsync("Task of a provider user");
        using var api = await platform.CreateSignedInClientAsync(user, "correct horse", TestContext.Current.CancellationToken);
        var tasks = await api.GetStringAsync("/api/tasks", TestContext.Current.CancellationToken);
        Assert.Contains("Task of a provider user", tasks, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProviderSignOut_EndsTheProviderSessionToo()
    {
        var user = NewUser("s3cret-pass");
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInWithProviderAsync(platform.IdentityProviderName, user, "s3cret-pass");

        await chat.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(chat.Page.GetByRole(AriaRole.Button, new() { Name = $"Sign in with {platform.IdentityProviderName}" })).ToBeVisibleAsync();
        Assert.StartsWith(platform.GatewayUrl.ToString().TrimEnd('/'), chat.Page.Url, StringComparison.Ordinal);
        Assert.Null(await chat.Page.EvaluateAsync<string?>("sessionStorage.getItem('letta.token')"));
        // Had the provider kept its session, this would come straight back signed in.
        await chat.Page.GetByRole(AriaRole.Button, new() { Name = $"Sign in with {platform.IdentityProviderName}" }).ClickAsync();
        await Expect(chat.Page.GetByLabel("Password")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ProviderSignIn_TokenAboutToExpire_IsRenewedWithTheRefreshTokenBeforeTheNextCall()
    {
        var user = NewUser("renew-me-please");
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInWithProviderAsync(platform.IdentityProviderName, user, "renew-me-please");
        var before = await chat.Page.EvaluateAsync<string>("sessionStorage.getItem('letta.token')");
        var renewalsBefore = platform.IdentityProvider.TokenRequests.Count(fields => fields.GetValueOrDefault("grant_type") == "refresh_token");

        // As if the hour had passed: the token is within a minute of its end.
        await chat.Page.EvaluateAsync("""
            () => {
              const details = JSON.parse(sessionStorage.getItem('letta.signIn'));
              details.expiresAt = Date.now() + 10000;
              sessionStorage.setItem('letta.signIn', JSON.stringify(details));
            }
            """);
        await chat.Page.GetByLabel("New task").FillAsync("Added with a renewed token");
        await chat.Page.GetByRole(AriaRole.Button, new() { Name = "Add task" }).ClickAsync();

        await Expect(chat.Page.Locator("#tasks li")).ToContainTextAsync("Added with a renewed token");
        var after = await chat.Page.EvaluateAsync<string>("sessionStorage.getItem('letta.token')");
        Assert.NotEqual(before, after);
        Assert.Equal(renewalsBefore + 1, platform.IdentityProvider.TokenRequests.Count(fields => fields.GetValueOrDefault("grant_type") == "refresh_token"));
        Assert.True(await chat.Page.EvaluateAsync<bool>("JSON.parse(sessionStorage.getItem('letta.signIn')).expiresAt > Date.now() + 30 * 60 * 1000"));
        await Expect(chat.Page.Locator("#who-name")).ToHaveTextAsync($"Signed in as {user}");
    }

    [Fact]
    public async Task SignInScreen_ProviderOnlyAsInProduction_OffersNoDevelopmentSignIn()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl, configure: page => AnswerConfigAsync(page, $$$"""
            {"devSignIn":false,"oidc":{"authority":"{{{platform.IdentityProvider.Authority}}}","clientId":"{{{platform.WebClientId}}}","scope":"openid profile","providerName":"Acme ID"}}
            """));

        await Expect(chat.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in with Acme ID" })).ToBeFocusedAsync();
        await Expect(chat.Page.GetByLabel("User name")).ToBeHiddenAsync();
        await Expect(chat.Page.GetByLabel("Operator (admin role)")).ToBeHiddenAsync();
        await Expect(chat.Page.Locator("#sign-in-unavailable")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task SignInScreen_NothingConfigured_SaysSoInWords()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl, configure: page => AnswerConfigAsync(page, """{"devSignIn":false,"oidc":null}"""));

        await Expect(chat.Page.Locator("#sign-in-unavailable")).ToContainTextAsync("Sign-in is not configured on this gateway");
        await Expect(chat.Page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Sign in") })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ProviderSignIn_ProviderUnreachable_ExplainsAndStaysOnThePage()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.Page.RouteAsync($"{platform.IdentityProvider.Authority}**", route => route.AbortAsync("connectionrefused"));

        await chat.Page.GetByRole(AriaRole.Button, new() { Name = $"Sign in with {platform.IdentityProviderName}" }).ClickAsync();

        await Expect(chat.Page.Locator("#alert")).ToContainTextAsync("The sign-in provider cannot be reached");
        Assert.StartsWith(platform.GatewayUrl.ToString().TrimEnd('/'), chat.Page.Url, StringComparison.Ordinal);
        await Expect(chat.Page.GetByRole(AriaRole.Button, new() { Name = $"Sign in with {platform.IdentityProviderName}" })).ToBeEnabledAsync();
    }

    private static Task AnswerConfigAsync(IPage page, string json) =>
        page.RouteAsync("**/api/auth/config", route => route.FulfillAsync(new() { Status = 200, ContentType = "application/json", Body = json }));

    [Fact]
    public async Task ProviderReturn_StateNotStartedHere_IsRefusedAndNobodyIsSignedIn()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);

        await chat.Page.GotoAsync("/?code=stolen-code&state=forged-state");

        await Expect(chat.Page.Locator("#alert")).ToContainTextAsync("did not start on this page");
        await Expect(chat.Page.Locator("#sign-in-view")).ToBeVisibleAsync();
        await Expect(chat.Page.Locator("#app-view")).ToBeHiddenAsync();
        Assert.DoesNotContain("stolen-code", chat.Page.Url, StringComparison.Ordinal);
        Assert.Null(await chat.Page.EvaluateAsync<string?>("sessionStorage.getItem('letta.token')"));
        Assert.DoesNotContain(platform.IdentityProvider.TokenRequests, fields => fields.GetValueOrDefault("code") == "stolen-code");
    }
}
