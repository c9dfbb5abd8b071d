Console.WriteLine("LettaPlatform AppHost");
