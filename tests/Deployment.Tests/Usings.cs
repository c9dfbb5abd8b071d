global using System.Text.Json.Nodes;
global using LettaPlatform.TestInfrastructure;
