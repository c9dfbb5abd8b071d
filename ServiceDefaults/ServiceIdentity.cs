using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace LettaPlatform.ServiceDefaults;

/// <summary>
/// Who this process is: the resource name (<c>chat-api</c>, …) and this replica's instance id.
/// The name comes from <c>OTEL_SERVICE_NAME</c> (set by the AppHost, or in a service's
/// appsettings.json), so telemetry, queues and diagnostics all use the same one.
/// </summary>
public sealed record ServiceIdentity(string Name, string Instance)
{
    public static ServiceIdentity FromConfiguration(IConfiguration configuration, IHostEnvironment environment)
    {
        var name = configuration["OTEL_SERVICE_NAME"];
        if (string.IsNullOrWhiteSpace(name))
        {
            name = environment.ApplicationName.ToLowerInvariant().Replace('.', '-');
        }

        return new ServiceIdentity(name, $"{Environment.MachineName}-{Environment.ProcessId}");
    }
}
