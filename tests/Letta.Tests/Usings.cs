global using LettaPlatform.Letta.Tests.TestHost;
namespace LettaPlatform.Letta.Tests;
