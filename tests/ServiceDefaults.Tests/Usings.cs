namespace LettaPlatform.ServiceDefaults.Tests;
