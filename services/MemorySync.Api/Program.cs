using LettaPlatform.MemorySync.Api.Apis;
using LettaPlatform.MemorySync.Api.Extensions;
using LettaPlatform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapOpenApi().AllowAnonymous();
app.MapMemoryApi();
app.MapSnapshotsApi();
app.MapProjectMemoryApi();
app.MapMemoryAdminApi();
app.MapMemoryInsightsApi();

app.Run();

public partial class Program;
