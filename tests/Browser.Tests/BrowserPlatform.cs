using LettaPlatform.TestInfrastructure;

namespace LettaPlatform.Browser.Tests;

/// <summary>The platform the browser tests drive.</summary>
public sealed class BrowserPlatform : PlatformFixture;
