global using LettaPlatform.TestInfrastructure;

[assembly: AssemblyFixture(typeof(InfrastructureFixture))]
