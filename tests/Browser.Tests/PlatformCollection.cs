using LettaPlatform.Browser.Tests;
using LettaPlatform.TestInfrastructure;

[assembly: AssemblyFixture(typeof(BrowserPlatform))]
[assembly: AssemblyFixture(typeof(BrowserFixture))]

// Two cores run the whole platform and a browser: one page at a time keeps timings predictable.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]
