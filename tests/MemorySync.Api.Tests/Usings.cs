global using LettaPlatform.MemorySync.Api.Tests.TestHost;
global using LettaPlatform.TestInfrastructure;

[assembly: AssemblyFixture(typeof(InfrastructureFixture))]
