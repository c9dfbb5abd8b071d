using System.Text.Json;

namespace LettaPlatform.Letta.Tests.Contract;

public sealed class JsonSchemaValidatorTests
{
    private static readonly JsonDocument Spec = JsonDocument.Parse("""
    {
      "components": { "schemas": {
        "Pet": { "type": "object", "required": ["name"], "properties": {
            "name": { "type": "string", "minLength": 2, "maxLength": 5 },
            "age": { "anyOf": [ { "type": "integer", "minimum": 0, "maximum": 30 }, { "type": "null" } ] },
            "born": { "type": "string", "format": "date-time" },
            "id": { "type": "string", "pattern": "^pet-[0-9]+$" } } },
        "Cat": { "type": "object", "properties": { "kind": { "const": "cat" }, "lives": { "type": "integer" } }, "required": ["kind"] },
        "Dog": { "type": "object", "properties": { "kind": { "const": "dog" }, "barks": { "type": "boolean" } }, "required": ["kind"] },
        "Animal": { "oneOf": [ { "$ref": "#/components/schemas/Cat" }, { "$ref": "#/components/schemas/Dog" } ],
                    "discriminator": { "propertyName": "kind", "mapping": { "cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog" } } },
        "Open": { "type": "object", "properties": { "a": { "type": "string" } }, "additionalProperties": { "type": "integer" } },
        "Closed": { "type": "object", "properties": { "a": { "type": "string" } }, "additionalProperties": false },
        "Both": { "allOf": [ { "type": "object", "required": ["a"] }, { "type": "object", "required": ["b"] } ] },
        "Pair": { "type": "array", "prefixItems": [ { "type": "string" }, { "type": "integer" } ], "items": { "type": "boolean" }, "minItems": 2, "maxItems": 3 },
        "Either": { "type": ["string", "null"], "enum": ["x", "y", null] },
        "Legacy": { "type": "string", "nullable": true }
      } }
    }
    """);

    private static readonly JsonSchemaValidator Validator = new(Spec.RootElement);

    private static IReadOnlyList<string> Check(string schema, string json) =>
        Validator.Validate(JsonDocument.Parse(json).RootElement, Validator.Schema(schema));

    [Theory]
    [InlineData("Pet", """{"name":"Rex","age":3,"born":"2026-01-02T03:04:05Z","id":"pet-1"}""")]
    [InlineData("Pet", """{"name":"Rex","age":null}""")]
    [InlineData("Pet", """{"name":"Rex","born":"2026-01-02T03:04:05.123456"}""")]
    [InlineData("Animal", """{"kind":"dog","barks":true}""")]
    [InlineData("Open", """{"a":"x","b":1}""")]
    [InlineData("Both", """{"a":1,"b":2}""")]
    [InlineData("Pair", """["a",1,true]""")]
    [InlineData("Either", "null")]
    [InlineData("Either", "\"y\"")]
    [InlineData("Legacy", "null")]
    public void Validate_ConformingInstance_HasNoErrors(string schema, string json)
    {
        Assert.Empty(Check(schema, json));
    }

    [Theory]
    [InlineData("Pet", """{"age":1}""", "required property 'name' is missing")]
    [InlineData("Pet", """{"name":"R"}""", "is shorter than 2")]
    [InlineData("Pet", """{"name":"Rexxxx"}""", "is longer than 5")]
    [InlineData("Pet", """{"name":"Rex","age":1.5}""", "matches none of anyOf")]
    [InlineData("Pet", """{"name":"Rex","age":31}""", "above the maximum")]
    [InlineData("Pet", """{"name":"Rex","age":-1}""", "below the minimum")]
    [InlineData("Pet", """{"name":"Rex","born":"yesterday"}""", "not an RFC 3339 date-time")]
    [InlineData("Pet", """{"name":"Rex","id":"cat-1"}""", "does not match ^pet-[0-9]+$")]
    [InlineData("Pet", """{"name":"Rex","colour":"red"}""", "$.colour: the spec does not declare this property")]
    [InlineData("Animal", """{"kind":"cow"}""", "'cow' is not a value the spec's discriminator knows")]
    [InlineData("Animal", """{"kind":"dog","barks":"yes"}""", "$.barks: expected \"boolean\"")]
    [InlineData("Open", """{"a":"x","b":"y"}""", "$.b: expected \"integer\"")]
    [InlineData("Closed", """{"a":"x","b":1}""", "$.b: no value is allowed here")]
    [InlineData("Both", """{"a":1}""", "required property 'b' is missing")]
    [InlineData("Pair", """["a","b"]""", "$[1]: expected \"integer\"")]
    [InlineData("Pair", """["a",1,"c"]""", "$[2]: expected \"boolean\"")]
    [InlineData("Pair", """["a"]""", "at least 2 required")]
    [InlineData("Pair", """["a",1,true,false]""", "at most 3 allowed")]
    [InlineData("Either", "\"z\"", "is not one of")]
    [InlineData("Either", "1", "expected [\"string\", \"null\"], got 1")]
    public void Validate_ViolatingInstance_ReportsTheViolation(string schema, string json, string expected)
    {
        Assert.Contains(Check(schema, json), error => error.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_OneOfWithoutDiscriminatorMatchingTwoBranches_Fails()
    {
        using var spec = JsonDocument.Parse("""{"s":{"oneOf":[{"type":"integer"},{"type":"number"}]}}""");
        var validator = new JsonSchemaValidator(spec.RootElement);

        Assert.Contains(validator.Validate(JsonDocument.Parse("3").RootElement, validator.Resolve("#/s")), e => e.Contains("matches 2 branches"));
        Assert.Empty(validator.Validate(JsonDocument.Parse("3.5").RootElement, validator.Resolve("#/s")));
    }

    [Fact]
    public void LettaSpec_StreamingUnion_AcceptsAStopReasonAndRejectsAnUnknownType()
    {
        var validator = OpenApiContract.Letta.Validator;
        var union = validator.Schema("LettaStreamingResponse");

        Assert.Empty(validator.Validate(JsonDocument.Parse("""{"message_type":"stop_reason","stop_reason":"end_turn"}""").RootElement, union));
        Assert.NotEmpty(validator.Validate(JsonDocument.Parse("""{"message_type":"stop_reason","stop_reason":"finished"}""").RootElement, union));
        Assert.NotEmpty(validator.Validate(JsonDocument.Parse("""{"message_type":"mystery"}""").RootElement, union));
    }

    [Fact]
    public void LettaSpec_FindOperation_PrefersLiteralSegmentsOverParameters()
    {
        var contract = OpenApiContract.Letta;

        Assert.Equal("count_agents", contract.Find(HttpMethod.Get, "/v1/agents/count")?.Id);
        Assert.Equal("retrieve_agent", contract.Find(HttpMethod.Get, "/v1/agents/agent-1")?.Id);
        Assert.Equal("attach_core_memory_block", contract.Find(HttpMethod.Patch, "/v1/agents/a/core-memory/blocks/attach/b")?.Id);
        Assert.Equal("modify_core_memory_block", contract.Find(HttpMethod.Patch, "/v1/agents/a/core-memory/blocks/human")?.Id);
        Assert.Null(contract.Find(HttpMethod.Get, "/v1/agents/a/nothing-here"));
    }
}
