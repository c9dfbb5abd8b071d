namespace LettaPlatform.Hosting.Tests;
