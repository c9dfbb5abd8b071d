global using LettaPlatform.MemorySync.Api.Tests.Infrastructure;
global using LettaPlatform.TestInfrastructure;

[assembly: AssemblyFixture(typeof(InfrastructureFixture))]
