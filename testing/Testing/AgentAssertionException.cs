namespace LettaPlatform.Testing;

/// <summary>
/// An expectation about an agent's turn that did not hold. The message says what was expected, what came
/// instead, and lists the turn's events, so a failing test explains itself in any test framework.
/// </summary>
public sealed class AgentAssertionException(string message) : Exception(message);
