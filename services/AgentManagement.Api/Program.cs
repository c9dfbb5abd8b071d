using LettaPlatform.AgentManagement.Api.Apis;
using LettaPlatform.AgentManagement.Api.Extensions;
using LettaPlatform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapOpenApi().AllowAnonymous();
app.MapTemplatesApi();
app.MapAgentsApi();
app.MapProjectsApi();
app.MapAgentArchiveApi();

app.Run();

public partial class Program;
