namespace LettaPlatform.LettaDev.Tests;

public sealed class AuthTests : IDisposable
{
    private readonly LettaDevHost _factory = new() { Password = "s3cret" };

    [Fact]
    public async Task NoPassword_Returns401WithLettaBody()
    {
        var client = _factory.CreateClient();

        var body = await client.SendJsonAsync(HttpMethod.Get, "/v1/agents/", expected: HttpStatusCode.Unauthorized);

        Assert.Equal("Unauthorized", body.Str("detail"));
    }

    [Fact]
    public async Task WrongPassword_Returns401()
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "wrong");

        await client.SendJsonAsync(HttpMethod.Get, "/v1/tools/", expected: HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task BearerOrBarePassword_IsAccepted()
    {
        var bearer = _factory.CreateClient();
        bearer.DefaultRequestHeaders.Authorization = new("Bearer", "s3cret");
        var bare = _factory.CreateClient();
        bare.DefaultRequestHeaders.Add("X-BARE-PASSWORD", "password s3cret");

        var viaBearer = await bearer.GetArrayAsync("/v1/agents/");
        var viaBare = await bare.GetArrayAsync("/v1/tools/");

        Assert.NotNull(viaBearer);
        Assert.NotEmpty(viaBare);
    }

    [Fact]
    public async Task Health_NeedsNoPassword()
    {
        var health = await _factory.CreateClient().SendJsonAsync(HttpMethod.Get, "/v1/health/");

        Assert.NotNull(health["status"]);
    }

    public void Dispose() => _factory.Dispose();
}
