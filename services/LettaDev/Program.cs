using LettaPlatform.LettaDev.Apis;
using LettaPlatform.LettaDev.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddApplicationServices();

var app = builder.Build();
app.UseLettaDev();
app.MapHealthApi();
app.MapAgentsApi();
app.MapBlocksApi();
app.MapToolsApi();
app.MapMessagesApi();
app.MapDevApi();

app.Run();

public partial class Program;
