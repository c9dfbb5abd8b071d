global using LettaPlatform.Hosting;

namespace LettaPlatform.Hosting.Tests;
