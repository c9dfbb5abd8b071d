namespace LettaPlatform.Letta;

public sealed class LettaOptions;
