namespace LettaPlatform.Hosting;

public static class LocalInfrastructure;
