namespace LettaPlatform.LettaDev.Tests;
