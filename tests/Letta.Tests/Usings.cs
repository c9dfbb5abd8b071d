namespace LettaPlatform.Letta.Tests;
