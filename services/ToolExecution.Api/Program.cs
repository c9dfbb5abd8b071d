using LettaPlatform.ServiceDefaults;
using LettaPlatform.ToolExecution.Api.Apis;
using LettaPlatform.ToolExecution.Api.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapOpenApi().AllowAnonymous();
app.MapToolsApi();
app.MapTasksApi();
app.MapGitHubIntegrationApi();
app.MapToolExecutionsApi();

app.Run();

public partial class Program;
