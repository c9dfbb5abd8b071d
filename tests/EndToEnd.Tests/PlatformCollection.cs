using LettaPlatform.TestInfrastructure;

[assembly: AssemblyFixture(typeof(PlatformFixture))]
