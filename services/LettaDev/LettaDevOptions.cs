using System.ComponentModel.DataAnnotations;

namespace LettaPlatform.LettaDev;

public sealed class LettaDevOptions
{
    public const string SectionName = "LettaDev";

    /// <summary>When set, every route except health and ready needs this password (Letta's SECURE mode).</summary>
    public string? Password { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Pause between streamed token fragments, to make streaming observable.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan TokenDelay { get; set; } = TimeSpan.Zero;
}
