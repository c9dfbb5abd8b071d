global using LettaPlatform.TestInfrastructure;
global using LettaPlatform.LettaDev.Tests.TestHost;
global using System.Net;
global using System.Net.Http.Json;
global using System.Text.Json.Nodes;
