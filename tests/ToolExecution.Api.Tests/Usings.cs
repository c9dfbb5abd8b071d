global using LettaPlatform.ToolExecution.Api.Tests.TestHost;
global using LettaPlatform.TestInfrastructure;

[assembly: AssemblyFixture(typeof(InfrastructureFixture))]
