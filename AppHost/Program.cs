using LettaPlatform.AppHost;
using LettaPlatform.Hosting.Orchestration;
using Microsoft.Extensions.Configuration;

if (args is ["infra", .. var infraArgs])
{
    await InfrastructureCommand.RunAsync(infraArgs);
    return;
}

var builder = PlatformBuilder.Create(args);

var postgres = builder.AddPostgres("postgres");
var chatDb = postgres.AddDatabase("chatdb");
var agentsDb = postgres.AddDatabase("agentsdb");
var toolsDb = postgres.AddDatabase("toolsdb");
var memoryDb = postgres.AddDatabase("memorydb");
var redis = builder.AddRedis("redis");
var messaging = builder.AddRabbitMq("messaging");
var letta = builder.AddLetta("letta");

var agents = builder.AddProject("agent-management-api", "services/AgentManagement.Api")
    .WithReference(agentsDb).WaitFor(agentsDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(letta).WaitFor(letta);

var tools = builder.AddProject("tool-execution-api", "services/ToolExecution.Api")
    .WithReference(toolsDb).WaitFor(toolsDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(messaging).WaitFor(messaging);

var memory = builder.AddProject("memory-sync-api", "services/MemorySync.Api")
    .WithReference(memoryDb).WaitFor(memoryDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(letta).WaitFor(letta);

var chat = builder.AddProject("chat-api", "services/Chat.Api")
    .WithReference(chatDb).WaitFor(chatDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(letta).WaitFor(letta);

builder.AddProject("gateway", "gateway")
    .WithHttpPort(builder.Configuration.GetValue("Gateway:Port", 5000))
    .WithReference(chat).WaitFor(chat)
    .WithReference(agents).WaitFor(agents)
    .WithReference(tools).WaitFor(tools)
    .WithReference(memory).WaitFor(memory);

await builder.Build().RunAsync();
