using LettaPlatform.Chat.Api.Apis;
using LettaPlatform.Chat.Api.Extensions;
using LettaPlatform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapChatApi();

app.Run();

public partial class Program;
