using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace LettaPlatform.Letta.Tests.Contract;

/// <summary>
/// Sits innermost in the client's pipeline and checks every exchange against the operation's schemas in
/// Letta's spec: the path, the query parameters and the body the client sends, and the body (or every SSE
/// chunk, as it passes) the server returns. Violations are collected, not thrown, so a test sees all of them.
/// </summary>
public sealed class ContractValidatingHandler(OpenApiContract contract, ContractLog log) : DelegatingHandler
{
    private readonly ConcurrentQueue<string> _violations = log.Violations;
    private readonly ConcurrentDictionary<string, int> _operations = log.Operations;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var operation = contract.Find(request.Method, path);
        var label = $"{request.Method} {path}";
        if (operation is null)
        {
            _violations.Enqueue($"{label}: the spec has no such operation");
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        label = $"{operation.Id} ({request.Method} {operation.PathTemplate})";
        _operations.TryAdd(operation.Id, 0);

        CheckPath(operation, label);
        CheckQuery(operation, request.RequestUri.Query, label);
        await CheckRequestBodyAsync(operation, request, label, cancellationToken).ConfigureAwait(false);

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            _operations.AddOrUpdate(operation.Id, 1, (_, count) => count + 1);
        }
        await CheckResponseAsync(operation, response, status, label, cancellationToken).ConfigureAwait(false);
        return response;
    }

    private void Report(string label, string where, IEnumerable<string> errors)
    {
        foreach (var error in errors)
        {
            _violations.Enqueue($"{label} {where}: {error}");
        }
    }

    private void CheckPath(OpenApiOperation operation, string label)
    {
        foreach (var parameter in operation.Parameters("path"))
        {
            var name = parameter.GetProperty("name").GetString()!;
            if (operation.PathValues.TryGetValue(name, out var value))
            {
                Report(label, $"path parameter {name}", contract.Validator.Validate(JsonSerializer.SerializeToElement(value), parameter.GetProperty("schema"), name));
            }
        }
    }

    private void CheckQuery(OpenApiOperation operation, string query, string label)
    {
        var declared = operation.Parameters("query").ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("schema"));
        var values = query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .GroupBy(pair => Uri.UnescapeDataString(pair[0]), pair => pair.Length > 1 ? Uri.UnescapeDataString(pair[1].Replace('+', ' ')) : "");
        foreach (var group in values)
        {
            if (!declared.TryGetValue(group.Key, out var schema))
            {
                _violations.Enqueue($"{label} query: '{group.Key}' is not a parameter of this operation");
                continue;
            }
            var isList = schema.GetRawText().Contains("\"array\"", StringComparison.Ordinal);
            var items = group.Select(Literal).ToArray();
            var instance = isList ? JsonSerializer.SerializeToElement(items) : items[^1];
            Report(label, $"query {group.Key}", contract.Validator.Validate(instance, schema, group.Key));
        }
    }

    // Query values are text on the wire; FastAPI coerces them by the declared type, so the test does too.
    private static JsonElement Literal(string value) =>
        long.TryParse(value, out var number) ? JsonSerializer.SerializeToElement(number)
        : value is "true" or "false" ? JsonSerializer.SerializeToElement(value == "true")
        : JsonSerializer.SerializeToElement(value);

    private async Task CheckRequestBodyAsync(OpenApiOperation operation, HttpRequestMessage request, string label, CancellationToken cancellationToken)
    {
        if (request.Content is null)
        {
            if (operation.RequestBodyRequired)
            {
                _violations.Enqueue($"{label} request: the spec requires a body");
            }
            return;
        }
        var mediaType = request.Content.Headers.ContentType?.MediaType;
        if (mediaType == "application/json")
        {
            var schema = operation.RequestSchema("application/json");
            var text = await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (schema is null)
            {
                _violations.Enqueue($"{label} request: the spec declares no JSON body, the client sent {text}");
                return;
            }
            using var body = JsonDocument.Parse(text);
            Report(label, "request body", contract.Validator.Validate(body.RootElement, schema.Value));
            return;
        }
        if (mediaType == "multipart/form-data")
        {
            var schema = operation.RequestSchema("multipart/form-data");
            if (schema is null)
            {
                _violations.Enqueue($"{label} request: the spec declares no multipart body");
                return;
            }
            var resolved = schema.Value.TryGetProperty("$ref", out var reference) ? contract.Validator.Resolve(reference.GetString()!) : schema.Value;
            var properties = resolved.GetProperty("properties");
            var names = new List<string>();
            foreach (var part in (MultipartFormDataContent)request.Content)
            {
                var name = part.Headers.ContentDisposition?.Name?.Trim('"') ?? "";
                names.Add(name);
                if (!properties.TryGetProperty(name, out var fieldSchema))
                {
                    _violations.Enqueue($"{label} multipart: field '{name}' is not declared");
                    continue;
                }
                if (fieldSchema.TryGetProperty("format", out var format) && format.GetString() == "binary")
                {
                    continue;
                }
                var value = await part.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                Report(label, $"multipart field {name}", contract.Validator.Validate(Literal(value), fieldSchema, name));
            }
            if (resolved.TryGetProperty("required", out var required))
            {
                foreach (var name in required.EnumerateArray().Select(r => r.GetString()!).Where(r => !names.Contains(r)))
                {
                    _violations.Enqueue($"{label} multipart: required field '{name}' is missing");
                }
            }
            return;
        }
        _violations.Enqueue($"{label} request: unexpected content type {mediaType}");
    }

    private async Task CheckResponseAsync(OpenApiOperation operation, HttpResponseMessage response, int status, string label, CancellationToken cancellationToken)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (status >= 300)
        {
            await CheckErrorBodyAsync(operation, response, status, label, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (mediaType == "text/event-stream")
        {
            if (operation.ResponseContent(status, "text/event-stream") is null)
            {
                _violations.Enqueue($"{label} response: the spec does not declare an event stream");
            }
            var inner = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var wrapped = new StreamContent(new SseValidatingStream(inner, chunk =>
                Report(label, "stream chunk " + Shorten(chunk), ValidateChunk(chunk))));
            foreach (var header in response.Content.Headers)
            {
                wrapped.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            response.Content = wrapped;
            return;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var declared = operation.ResponseContent(status, "application/json");
        if (declared is null)
        {
            if (text.Length > 0)
            {
                _violations.Enqueue($"{label} response: {status} with a body the spec does not declare");
            }
            return;
        }
        if (mediaType != "application/json")
        {
            _violations.Enqueue($"{label} response: content type {mediaType}, the spec says application/json");
            return;
        }
        using var body = JsonDocument.Parse(text);
        if (operation.Id == "export_agent")
        {
            CheckAgentFile(body.RootElement, label);
            return;
        }
        if (declared.Value.TryGetProperty("schema", out var schema))
        {
            Report(label, $"response {status}", contract.Validator.Validate(body.RootElement, schema));
        }
    }

    // The spec types the export as {"type":"string"}, an artefact of the route's annotations; the server's code
    // returns agent_file_schema.model_dump(), the AgentFileSchema object. Either way the Agent File inside must
    // conform to AgentFileSchema, which the spec does define.
    private void CheckAgentFile(JsonElement body, string label)
    {
        if (body.ValueKind == JsonValueKind.String)
        {
            using var inner = JsonDocument.Parse(body.GetString()!);
            Report(label, "response (Agent File inside the string)", contract.Validator.Validate(inner.RootElement, contract.Validator.Schema("AgentFileSchema")));
            return;
        }
        Report(label, "response (Agent File)", contract.Validator.Validate(body, contract.Validator.Schema("AgentFileSchema")));
    }

    private IReadOnlyList<string> ValidateChunk(string data)
    {
        if (data == "[DONE]")
        {
            return [];
        }
        try
        {
            using var chunk = JsonDocument.Parse(data);
            return contract.Validator.Validate(chunk.RootElement, contract.Validator.Schema("LettaStreamingResponse"));
        }
        catch (JsonException ex)
        {
            return [$"not JSON: {ex.Message}"];
        }
    }

    // Letta's error bodies are JSON objects with `detail` (FastAPI) or `error`; the spec declares only 422's.
    private async Task CheckErrorBodyAsync(OpenApiOperation operation, HttpResponseMessage response, int status, string label, CancellationToken cancellationToken)
    {
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var body = JsonDocument.Parse(text);
            if (body.RootElement.ValueKind != JsonValueKind.Object
                || !(body.RootElement.TryGetProperty("detail", out _) || body.RootElement.TryGetProperty("error", out _)))
            {
                _violations.Enqueue($"{label} error {status}: body is not Letta's {{detail}} / {{error}} shape: {Shorten(text)}");
            }
            else if (status != 422 && operation.ResponseContent(status, "application/json") is { } declared && declared.TryGetProperty("schema", out var schema))
            {
                Report(label, $"error {status}", contract.Validator.Validate(body.RootElement, schema));
            }
        }
        catch (JsonException)
        {
            _violations.Enqueue($"{label} error {status}: body is not JSON: {Shorten(text)}");
        }
    }

    private static string Shorten(string value) => value.Length > 120 ? value[..120] + "…" : value;

    /// <summary>Passes bytes through unchanged and hands each complete SSE <c>data</c> payload to a callback.</summary>
    private sealed class SseValidatingStream(Stream inner, Action<string> onData) : Stream
    {
        private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
        private readonly StringBuilder _line = new();
        private readonly StringBuilder _data = new();

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            Feed(buffer.Span[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            Feed(buffer.AsSpan(offset, read));
            return read;
        }

        private void Feed(ReadOnlySpan<byte> bytes)
        {
            var chars = new char[_decoder.GetCharCount(bytes, flush: false)];
            _decoder.GetChars(bytes, chars, flush: false);
            foreach (var c in chars)
            {
                if (c == '\r')
                {
                    continue;
                }
                if (c != '\n')
                {
                    _line.Append(c);
                    continue;
                }
                var line = _line.ToString();
                _line.Clear();
                if (line.Length == 0)
                {
                    if (_data.Length > 0)
                    {
                        onData(_data.ToString());
                        _data.Clear();
                    }
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    if (_data.Length > 0)
                    {
                        _data.Append('\n');
                    }
                    _data.Append(line.AsSpan(5).TrimStart(' '));
                }
            }
        }

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
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

/// <summary>What the handlers of one client saw; shared because the HTTP client factory builds a handler chain per client.</summary>
public sealed class ContractLog
{
    public ConcurrentQueue<string> Violations { get; } = new();

    /// <summary>Operation ids called, with how many successful (2xx) responses each had.</summary>
    public ConcurrentDictionary<string, int> Operations { get; } = new();
}
