using System.Diagnostics;
using System.Text;

namespace LettaPlatform.Chat.Api.Debug;

/// <summary>
/// On the Letta clients' HTTP pipeline: while the current turn's session is being debugged, records each request
/// (method, URL, headers, body) and its response (status, headers, body, time), redacted. A streamed response is
/// passed through as it comes and recorded once it has been read to its end (or disposed).
/// </summary>
public sealed class DebugCaptureHandler : DelegatingHandler
{
    /// <summary>The most of one body kept; the rest is cut, with a note of how much.</summary>
    public const int MaxBodyChars = 64 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var capture = DebugCapture.Current;
        if (capture is null)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var name = $"{request.Method} {request.RequestUri?.PathAndQuery}";
        var requestBody = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        capture.Record("letta_request", name, new { method = request.Method.Method, url = request.RequestUri?.ToString(), headers = Headers(request.Headers, request.Content?.Headers), body = Cut(requestBody) });

        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (Exception ex)
        {
            capture.Record("letta_response", name, new { error = ex.GetType().Name, message = ex.Message }, Stopwatch.GetElapsedTime(started));
            throw;
        }

        var status = (int)response.StatusCode;
        var headers = Headers(response.Headers, response.Content.Headers);
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            var inner = await response.Content.ReadAsStreamAsync(cancellationToken);
            var tee = new TeeStream(inner, text => capture.Record("letta_response", name, new { status, headers, streamed = true, body = Cut(text) }, Stopwatch.GetElapsedTime(started)));
            var content = new StreamContent(tee);
            foreach (var header in response.Content.Headers)
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = content;
            return response;
        }

        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        capture.Record("letta_response", name, new { status, headers, body = Cut(body) }, Stopwatch.GetElapsedTime(started));
        return response;
    }

    private static Dictionary<string, string> Headers(System.Net.Http.Headers.HttpHeaders headers, System.Net.Http.Headers.HttpHeaders? contentHeaders) =>
        headers.Concat(contentHeaders ?? (IEnumerable<KeyValuePair<string, IEnumerable<string>>>)[])
            .ToDictionary(h => h.Key, h => SecretRedactor.IsSecretHeader(h.Key) ? SecretRedactor.Redacted : string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);

    /// <summary>The body redacted (secret-named JSON properties too, before it is nested in the entry) and cut to <see cref="MaxBodyChars"/>.</summary>
    private static string? Cut(string? body)
    {
        if (body is null)
        {
            return null;
        }

        body = SecretRedactor.Text(body);
        return body.Length <= MaxBodyChars ? body : $"{body[..MaxBodyChars]}… ({body.Length - MaxBodyChars} more characters)";
    }

    /// <summary>Passes a stream through, keeping a copy of what was read; reports it once, at its end or on dispose.</summary>
    private sealed class TeeStream(Stream inner, Action<string> completed) : Stream
    {
        private readonly MemoryStream _copy = new();
        private int _reported;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Keep(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            return Keep(buffer.Span[..read]);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Report();
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Keep(ReadOnlySpan<byte> read)
        {
            if (read.Length == 0)
            {
                Report();
            }
            else if (_copy.Length < MaxBodyChars * 4)
            {
                _copy.Write(read);
            }

            return read.Length;
        }

        private void Report()
        {
            if (Interlocked.Exchange(ref _reported, 1) == 0)
            {
                completed(Encoding.UTF8.GetString(_copy.GetBuffer(), 0, (int)_copy.Length));
            }
        }
    }
}
