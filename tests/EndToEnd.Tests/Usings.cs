namespace LettaPlatform.EndToEnd.Tests;
