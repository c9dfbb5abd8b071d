using Microsoft.Extensions.Configuration;
using LettaPlatform.AppHost;
using LettaPlatform.Hosting;

// The platform's topology. Run it with `dotnet run --project AppHost`; the Aspire dashboard's login
// URL and the web chat's URL are printed once it is up. `-- infra` runs only the servers.
if (args is ["infra", .. var infraArgs])
{
    await InfrastructureCommand.RunAsync(infraArgs);
    return;
}

var builder = DistributedApplication.CreateBuilder(PlatformArguments.Prepare(args));

var postgres = builder.AddLocalPostgres("postgres");
var chatDb = postgres.AddDatabase("chatdb");
var agentsDb = postgres.AddDatabase("agentsdb");
var toolsDb = postgres.AddDatabase("toolsdb");
var memoryDb = postgres.AddDatabase("memorydb");
var redis = builder.AddLocalRedis("redis");
var messaging = builder.AddLocalRabbitMQ("messaging");
var letta = builder.AddLetta("letta");

var agents = builder.AddService<Projects.AgentManagement_Api>("agent-management-api")
    .WithReference(agentsDb).WaitFor(agentsDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(letta).WaitFor(letta)
    .WithAgentCommands();

var tools = builder.AddService<Projects.ToolExecution_Api>("tool-execution-api")
    .WithReference(toolsDb).WaitFor(toolsDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(messaging).WaitFor(messaging);

var memory = builder.AddService<Projects.MemorySync_Api>("memory-sync-api")
    .WithReference(memoryDb).WaitFor(memoryDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(letta).WaitFor(letta)
    .WithMemoryCommands();

var chat = builder.AddService<Projects.Chat_Api>("chat-api")
    .WithEnvironment("Chat__PersonHashKey", builder.Secret("person-hash-key", bytes: 32))
    .WithReference(chatDb).WaitFor(chatDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(letta).WaitFor(letta)
    .WithChatCommands();

builder.AddService<Projects.Gateway>("gateway", port: builder.Configuration.GetValue("Gateway:Port", 5000))
    .WithReference(chat).WaitFor(chat)
    .WithReference(agents).WaitFor(agents)
    .WithReference(tools).WaitFor(tools)
    .WithReference(memory).WaitFor(memory)
    .WithWebChatLinks();

await builder.Build().RunAsync();
