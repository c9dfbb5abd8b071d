using LettaPlatform.TestInfrastructure;

namespace LettaPlatform.Browser.Tests;

/// <summary>The platform the browser tests drive, with the Aspire dashboard an operator opens beside it.</summary>
public sealed class BrowserPlatform : PlatformFixture
{
    protected override bool WithDashboard => true;
}
