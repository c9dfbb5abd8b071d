using LettaPlatform.ServiceDefaults.Auth;

namespace LettaPlatform.Gateway;

/// <summary>The development token issuer, or null when the gateway runs without <c>Auth:DevSigningKey</c>.</summary>
public sealed record DevTokenIssuerAccessor(DevTokenIssuer? Issuer);
