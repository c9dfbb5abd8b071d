using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace LettaPlatform.Letta;

// How one call goes over HTTP: the request (auth, project, call kind for resilience), the send with the error
// mapping, the read of the body, and the two timeouts of a turn (a whole send, or the start of a stream).
internal sealed partial class LettaClient
{
    private async Task<LettaResponse> SendTurnAsync(string path, SendBody body, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.SendTimeout);
        using var request = CreateRequest(HttpMethod.Post, path, Json(body), LettaCallKind.Send);
        using var response = await SendRawAsync(request, streaming: true, timeout.Token, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<LettaResponse>(response, timeout.Token, cancellationToken).ConfigureAwait(false);
    }

    private async IAsyncEnumerable<LettaStreamEvent> StreamAsync(string path, object body, LettaCallKind kind, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = CreateRequest(HttpMethod.Post, path, Json(body), kind);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var start = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        start.CancelAfter(_options.StreamStartTimeout);
        using var response = await SendRawAsync(request, streaming: true, start.Token, cancellationToken).ConfigureAwait(false);
        // Started: from here the idle watchdog judges the stream, however long the turn runs.
        start.CancelAfter(Timeout.InfiniteTimeSpan);

        if (response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            // A server that answers a streaming request with a whole LettaResponse is replayed as events.
            var whole = await ReadAsync<LettaResponse>(response, cancellationToken).ConfigureAwait(false);
            foreach (var message in whole.Messages)
            {
                yield return new LettaMessageEvent(message);
            }
            if (whole.StopReason is not null)
            {
                yield return new LettaStopReasonEvent(whole.StopReason.StopReason);
            }
            if (whole.Usage is not null)
            {
                yield return new LettaUsageEvent(whole.Usage);
            }
            yield return new LettaDoneEvent();
            yield break;
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var streamEvent in LettaSseReader.ReadAsync(stream, _options.StreamIdleTimeout, cancellationToken).ConfigureAwait(false))
            {
                yield return streamEvent;
            }
        }
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, LettaCallKind kind, CancellationToken cancellationToken)
    {
        using var request = CreateRequest(method, path, body is null ? null : Json(body), kind);
        using var response = await SendRawAsync(request, streaming: false, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    private Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, bool streaming, CancellationToken cancellationToken) =>
        SendRawAsync(request, streaming, cancellationToken, cancellationToken);

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, bool streaming, CancellationToken cancellationToken, CancellationToken callerToken)
    {
        var client = _httpClientFactory.CreateClient(streaming ? LettaServiceCollectionExtensions.StreamingHttpClientName : LettaServiceCollectionExtensions.HttpClientName);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (LettaErrors.FromException(ex, InstanceName, callerToken) is { } mapped)
        {
            throw mapped;
        }
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await LettaErrors.FromResponseAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }
        return response;
    }

    private Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) =>
        ReadAsync<T>(response, cancellationToken, cancellationToken);

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken, CancellationToken callerToken)
    {
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (LettaErrors.FromException(ex, InstanceName, callerToken) is { } mapped)
        {
            throw mapped;
        }
        if (text.Length == 0)
        {
            return default!;
        }
        try
        {
            return JsonSerializer.Deserialize<T>(text, LettaJson.Options)!;
        }
        catch (JsonException ex)
        {
            throw new LettaException($"Letta instance '{InstanceName}' returned a body this client cannot read as {typeof(T).Name}: {ex.Message}", response.StatusCode, rawBody: text, innerException: ex);
        }
    }

    private HttpRequestMessage CreateRequest(HttpMethod method, string pathAndQuery, HttpContent? content, LettaCallKind kind)
    {
        var request = new HttpRequestMessage(method, new Uri(_baseUri, pathAndQuery)) { Content = content };
        request.Options.Set(LettaResilience.CallKind, kind);
        if (_instance.BearerToken is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (!string.IsNullOrEmpty(_instance.Project))
        {
            request.Headers.TryAddWithoutValidation("X-Project", _instance.Project);
        }
        return request;
    }

    // Serialised up front so a retry re-sends byte-identical content (same otids).
    private static ByteArrayContent Json(object body)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), LettaJson.Options));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
