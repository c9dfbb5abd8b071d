global using LettaPlatform.Gateway.Tests.TestHost;
global using System.Net;
global using System.Net.Http.Json;
global using LettaPlatform.TestInfrastructure;
