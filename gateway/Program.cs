using LettaPlatform.Gateway.Apis;
using LettaPlatform.Gateway.Extensions;
using LettaPlatform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGatewayServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseGatewayPipeline();

app.MapAuthApi();
app.MapDocsApi();
app.MapReverseProxy();

app.Run();

public partial class Program;
