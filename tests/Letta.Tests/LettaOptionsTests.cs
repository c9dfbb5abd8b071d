using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LettaPlatform.Letta.Tests;

public sealed class LettaOptionsTests
{
    [Fact]
    public void Parse_EndpointKeyAndProject_FillsInstance()
    {
        var instance = LettaConnectionString.Parse("Endpoint=https://api.letta.com;Key=sk-let-123;Project=my-project");

        Assert.Equal("https://api.letta.com", instance.Endpoint);
        Assert.Equal("sk-let-123", instance.ApiKey);
        Assert.Equal("my-project", instance.Project);
        Assert.Null(instance.Password);
    }

    [Fact]
    public void Parse_EndpointOnly_HasNoCredentials()
    {
        var instance = LettaConnectionString.Parse("Endpoint=http://localhost:8283");

        Assert.Equal("http://localhost:8283", instance.Endpoint);
        Assert.Null(instance.ApiKey);
        Assert.Null(instance.Project);
    }

    [Fact]
    public void ToString_WithApiKey_DoesNotRevealTheKey()
    {
        var instance = new LettaInstanceOptions { Endpoint = "https://api.letta.com", ApiKey = "sk-secret", Password = "pw-secret" };

        Assert.DoesNotContain("secret", instance.ToString());
    }

    [Fact]
    public void Bind_ConnectionStringAndSection_YieldsBothInstances()
    {
        using var host = new LettaClientHost(new Dictionary<string, string?>
        {
            ["ConnectionStrings:letta"] = "Endpoint=http://127.0.0.1:8283;Key=pw",
            ["Letta:Instances:cloud:Endpoint"] = "https://api.letta.com",
            ["Letta:Instances:cloud:ApiKey"] = "sk-let-1",
            ["Letta:Instances:cloud:Project"] = "default-project",
        });

        Assert.Equal(["cloud", "letta"], host.Factory.InstanceNames.Order());
        Assert.Equal("cloud", host.Factory.CreateClient("cloud").InstanceName);
        Assert.Equal("letta", host.Factory.CreateDefaultClient().InstanceName);
        Assert.Equal("pw", host.Options.Instances["letta"].ApiKey);
        Assert.Equal("default-project", host.Options.Instances["cloud"].Project);
    }

    [Fact]
    public void CreateClient_UnknownName_ThrowsNamingTheKnownOnes()
    {
        using var host = new LettaClientHost(new Dictionary<string, string?> { ["ConnectionStrings:letta"] = "Endpoint=http://127.0.0.1:8283" });

        var error = Assert.Throws<ArgumentException>(() => host.Factory.CreateClient("nope"));
        Assert.Contains("letta", error.Message);
    }

    [Fact]
    public void Validate_NoInstance_FailsWithAHint()
    {
        using var host = new LettaClientHost(new Dictionary<string, string?>());

        var error = Assert.Throws<OptionsValidationException>(() => host.Options);
        Assert.Contains("No Letta instance is configured", error.Message);
        Assert.Contains("ConnectionStrings:letta", error.Message);
    }

    [Fact]
    public void Validate_RelativeEndpoint_Fails()
    {
        using var host = new LettaClientHost(new Dictionary<string, string?> { ["Letta:Instances:main:Endpoint"] = "letta.local/api" });

        var error = Assert.Throws<OptionsValidationException>(() => host.Options);
        Assert.Contains("Letta instance 'main': Endpoint 'letta.local/api' is not an absolute http(s) URI.", error.Message);
    }

    [Fact]
    public void Validate_MissingEndpoint_Fails()
    {
        using var host = new LettaClientHost(new Dictionary<string, string?> { ["Letta:Instances:main:ApiKey"] = "k" });

        var error = Assert.Throws<OptionsValidationException>(() => host.Options);
        Assert.Contains("Letta instance 'main': Endpoint is required.", error.Message);
    }

    [Fact]
    public void Validate_BothApiKeyAndPassword_Fails()
    {
        using var host = new LettaClientHost(new Dictionary<string, string?>
        {
            ["Letta:Instances:main:Endpoint"] = "https://api.letta.com",
            ["Letta:Instances:main:ApiKey"] = "k",
            ["Letta:Instances:main:Password"] = "p",
        });

        var error = Assert.Throws<OptionsValidationException>(() => host.Options);
        Assert.Contains("either ApiKey (Letta Cloud) or Password (self-hosted), not both", error.Message);
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_FailsAtStartUp()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Letta:Instances:main:Endpoint"] = "ftp://letta" });
        builder.AddLettaClients();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("not an absolute http(s) URI", error.Message);
    }

    [Fact]
    public void AddLettaClients_TwoInstances_RegistersOneHealthCheckEach()
    {
        using var host = new LettaClientHost(new Dictionary<string, string?>
        {
            ["ConnectionStrings:letta"] = "Endpoint=http://127.0.0.1:8283",
            ["Letta:Instances:cloud:Endpoint"] = "https://api.letta.com",
        });

        var registrations = host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;
        Assert.Equal(["letta-cloud", "letta-letta"], registrations.Select(r => r.Name).Order());
        Assert.All(registrations, r => Assert.Contains("ready", r.Tags));
    }

    [Fact]
    public void Validate_CircuitBreakerThroughputBelowTwo_FailsAtStartUpNotOnFirstCall()
    {
        using var host = new LettaClientHost(new Dictionary<string, string?>
        {
            ["ConnectionStrings:letta"] = "Endpoint=http://127.0.0.1:8283",
            ["Letta:Resilience:CircuitBreakerMinimumThroughput"] = "1",
        });

        var error = Assert.Throws<OptionsValidationException>(() => host.Options);
        Assert.Contains("CircuitBreakerMinimumThroughput must be at least 2", error.Message);
    }

    [Fact]
    public void AddLettaClients_CalledTwice_RegistersOnce()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:letta"] = "Endpoint=http://127.0.0.1:8283",
        }).Build());

        services.AddLettaClients().AddLettaClients(o => o.StreamIdleTimeout = TimeSpan.FromSeconds(5));
        using var provider = services.BuildServiceProvider();

        Assert.Single(services, d => d.ServiceType == typeof(ILettaClientFactory));
        Assert.Equal(TimeSpan.FromSeconds(5), provider.GetRequiredService<IOptions<LettaOptions>>().Value.StreamIdleTimeout);
        Assert.NotNull(provider.GetRequiredService<ILettaClientFactory>().CreateDefaultClient());
    }
}
