namespace LettaPlatform.Letta;

/// <summary>
/// Letta treats any User-Agent containing "/" as a legacy client (docs/letta-notes.md §1: streaming sends then fail
/// with 422, lists load every relation). Whatever added a User-Agent upstream, it is removed here and the
/// v1 SDK marker header is sent instead.
/// </summary>
internal sealed class LettaHeadersHandler : DelegatingHandler
{
    public const string SdkVersionHeader = "X-Stainless-Package-Version";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.UserAgent.Clear();
        request.Headers.Remove(SdkVersionHeader);
        request.Headers.TryAddWithoutValidation(SdkVersionHeader, "1.0.0");
        return base.SendAsync(request, cancellationToken);
    }
}
