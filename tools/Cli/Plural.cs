namespace LettaPlatform.Cli;

public static class Plural
{
    /// <summary>"1 agent", "3 agents".</summary>
    public static string Count(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";
}
