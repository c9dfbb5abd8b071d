using LettaPlatform.LettaDev.Apis;
using LettaPlatform.LettaDev.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddApplicationServices();

var app = builder.Build();
app.UseLettaDev();
app.MapHealthApi();

app.Run();

public partial class Program;
