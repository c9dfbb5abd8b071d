global using LettaPlatform.Chat.Api.Tests.TestHost;
global using System.Net;
global using System.Net.Http.Json;
global using System.Text.Json.Nodes;
global using LettaPlatform.TestInfrastructure;

[assembly: AssemblyFixture(typeof(LettaPlatform.Chat.Api.Tests.TestHost.ChatFixture))]
