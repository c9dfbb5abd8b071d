using LettaPlatform.EndToEnd.Tests;

[assembly: AssemblyFixture(typeof(EndToEndPlatform))]
