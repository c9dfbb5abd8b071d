using System.Diagnostics;
using System.Text.RegularExpressions;
using LettaPlatform.Contracts.Diagnostics;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LettaPlatform.ServiceDefaults.Diagnostics;

public sealed record PingResult(string Service, string Instance, double RoundTripMs);

/// <summary>
/// <c>GET /diagnostics/ping/{service}</c>: a request/response over the broker to another service's
/// <c>ping-{service}</c> queue. Needs the <c>admin</c> role, except in the Development environment
/// where it is anonymous so a local operator (and the end-to-end test) can call it without a token.
/// </summary>
public static partial class PingApi
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapDiagnosticsApi(this IEndpointRouteBuilder endpoints)
    {
        var ping = endpoints.MapGet("/diagnostics/ping/{service}", PingAsync)
            .WithName("PingService")
            .WithTags("Diagnostics")
            .WithSummary("Ping another service over the broker")
            .WithDescription("Sends a ping to `service`'s `ping-<service>` queue and answers which instance replied and the round trip in "
                + "milliseconds. Needs the `admin` role, except in Development. 400 for a name that is not kebab-case; 504 when no "
                + "answer comes within 5 s.");

        if (endpoints.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            ping.AllowAnonymous();
        }
        else
        {
            ping.RequireAuthorization(Policies.Admin);
        }

        return endpoints;
    }

    public static async Task<Results<Ok<PingResult>, ProblemHttpResult>> PingAsync(
        string service,
        IBus bus,
        QueueNames queues,
        ServiceIdentity identity,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        if (!ServiceName().IsMatch(service))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Invalid service name",
                detail: "A service name is kebab-case, such as memory-sync-api.");
        }

        var client = bus.CreateRequestClient<PingService>(
            queues.Address(PingServiceConsumer.QueueName(service)),
            RequestTimeout.After(s: (int)Timeout.TotalSeconds));

        // The request timeout only starts once the request is sent; while the broker is down the
        // send itself waits, so the whole exchange is bounded here as well.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);

        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await client.GetResponse<ServicePonged>(
                new PingService { From = identity.Name, Nonce = Guid.NewGuid(), SentAt = timeProvider.GetUtcNow() },
                timeout.Token);

            return TypedResults.Ok(new PingResult(
                response.Message.Service,
                response.Message.Instance,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds));
        }
        catch (Exception ex) when (ex is RequestTimeoutException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status504GatewayTimeout,
                title: "Service did not answer",
                detail: $"No answer from '{service}' over the broker within {Timeout.TotalSeconds:0} s.");
        }
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex ServiceName();
}
