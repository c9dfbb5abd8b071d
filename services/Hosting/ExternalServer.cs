using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace LettaPlatform.Hosting;

/// <summary>A server the platform uses but does not run: its connection string comes from configuration.</summary>
public class ExternalServerResource(string name, string connectionString) : Resource(name), IResourceWithConnectionString
{
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{connectionString}");
}

/// <summary>Resources the AppHost does not run but shows, with their health, and hands to services as connection strings.</summary>
public static class ExternalServer
{
    /// <summary><c>ConnectionStrings:&lt;name&gt;</c> when it is set: that server replaces the local one.</summary>
    public static string? Configured(IDistributedApplicationBuilder builder, string name) =>
        builder.Configuration.GetConnectionString(name) is { Length: > 0 } value ? value : null;

    /// <summary>Shown as Running from the start, and healthy when <paramref name="healthCheck"/> says so.</summary>
    public static IResourceBuilder<T> Add<T>(IDistributedApplicationBuilder builder, T resource, string healthCheck, string resourceType = "External")
        where T : IResource
    {
        builder.Eventing.Subscribe<InitializeResourceEvent>(resource, (@event, _) =>
            @event.Notifications.PublishUpdateAsync(resource, state => state with
            {
                ResourceType = resourceType,
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
            }));
        return builder.AddResource(resource).WithInitialState(new CustomResourceSnapshot
        {
            ResourceType = resourceType,
            State = KnownResourceStates.Starting,
            Properties = [],
        }).WithHealthCheck(healthCheck).ExcludeFromManifest();
    }
}
