global using LettaPlatform.AgentManagement.Api.Tests.TestHost;
global using LettaPlatform.TestInfrastructure;

[assembly: AssemblyFixture(typeof(InfrastructureFixture))]
