using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LettaPlatform.LettaDev.Tests;

/// <summary>LettaDev serves no OpenAPI document (Letta's own is the contract), but its routes say what they do all the same.</summary>
public sealed class RouteDescriptionTests(LettaDevHost factory) : IClassFixture<LettaDevHost>
{
    [Fact]
    public void EveryRoute_HasASummaryAndADescription()
    {
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        var undescribed = routes
            .Where(route => string.IsNullOrWhiteSpace(route.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary)
                || string.IsNullOrWhiteSpace(route.Metadata.GetMetadata<IEndpointDescriptionMetadata>()?.Description))
            .Select(route => route.DisplayName);

        Assert.NotEmpty(routes);
        Assert.Empty(undescribed);
    }
}
