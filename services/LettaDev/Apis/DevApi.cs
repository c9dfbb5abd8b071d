using System.Text.Json.Nodes;
using LettaPlatform.LettaDev.Engine;
using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Apis;

/// <summary>Test hooks outside <c>/v1</c>: scripted model steps and simulated outages. Letta has nothing like them.</summary>
public static class DevApi
{
    public static IEndpointRouteBuilder MapDevApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/_dev").WithTags("Development");
        api.MapPut("/agents/{agent_id}/script", PutScript).WithName("DevPutScript")
            .WithSummary("Script an agent's next model steps (test hook)")
            .WithDescription("Replaces the agent's queue of scripted steps (`assistant`, `tool_call`, `error`, `delay`); each model step takes the "
                + "next one before the rules apply. Not part of Letta.");
        api.MapPost("/fail", Fail).WithName("DevFail")
            .WithSummary("Make the next requests fail (test hook)")
            .WithDescription("The next `count` requests under `/v1` (except health) answer `status` (default 503). Not part of Letta.");
        return app;
    }

    /// <summary>Replaces the agent's queue of scripted steps; each model step takes the next one before the rules apply.</summary>
    public static Ok<JsonObject> PutScript(string agent_id, JsonObject body, AgentStore agents, AgentScripts scripts)
    {
        var steps = (body.Arr("steps") ?? throw LettaException.Invalid("body.steps: Field required")).Select(node =>
        {
            var step = node as JsonObject ?? throw LettaException.Invalid("body.steps: Input should be an object");
            var type = step.RequireStr("type");
            if (type is not ("assistant" or "tool_call" or "error" or "delay"))
            {
                throw LettaException.Invalid("body.steps.type: Input should be 'assistant', 'tool_call', 'error' or 'delay'");
            }
            return new ScriptStep(type, step.Str("text") ?? step.Str("message"), step.Str("name"), step["arguments"]?.DeepClone(),
                step.Str("stop_reason"), step.Int("ms") ?? 0);
        }).ToList();
        agents.Require(agent_id);
        var queued = scripts.Replace(agent_id, steps);
        return TypedResults.Ok(new JsonObject { ["agent_id"] = agent_id, ["queued"] = queued });
    }

    public static Ok<JsonObject> Fail(JsonObject body, FailureInjector failures)
    {
        var count = body.Int("count") ?? 1;
        var status = body.Int("status") ?? StatusCodes.Status503ServiceUnavailable;
        failures.Arm(count, status);
        return TypedResults.Ok(new JsonObject { ["count"] = count, ["status"] = status });
    }
}
