namespace LettaPlatform.Deployment.Tests;

/// <summary>
/// Every kustomization renders offline, every object in it is valid against the Kubernetes API
/// schemas (target: Kubernetes 1.33, the oldest version the manifests are for), and the project's
/// rules hold. The tests that break a manifest on purpose show the checks can fail.
/// </summary>
public sealed class ManifestTests
{
    [Theory]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public async Task Render_EveryObject_IsValidAgainstTheKubernetesSchemas(string overlay)
    {
        var results = await SchemaValidator.ValidateAsync(await Kustomize.RenderAsync(overlay));

        Assert.NotEmpty(results);
        Assert.All(results, result => Assert.True(result.Errors.Count == 0,
            $"{result.Kind} {result.Name}: {string.Join("; ", result.Errors)}"));
    }

    [Theory]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public async Task Render_ProjectRules_Hold(string overlay)
    {
        var manifests = Manifests.Parse(await Kustomize.RenderAsync(overlay));

        Assert.Empty(ProjectRules.Check(manifests));
    }

    [Theory]
    [InlineData("overlays/dev")]
    [InlineData("overlays/prod")]
    public async Task Render_Platform_HasEveryServiceWithItsParts(string overlay)
    {
        var manifests = Manifests.Parse(await Kustomize.RenderAsync(overlay));
        string[] expected = ["chat-api", "agent-management-api", "tool-execution-api", "memory-sync-api", "gateway"];

        foreach (var kind in new[] { "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget" })
        {
            Assert.Equal(expected.Order(), manifests.OfKind(kind).Select(m => m.Name()).Order());
        }

        Assert.Equal("gateway", Assert.Single(manifests.OfKind("Ingress")).Name());
    }

    [Fact]
    public async Task Render_Services_ReadConnectionStringsFromSecretsAndTheOtlpEndpointFromConfig()
    {
        var manifests = Manifests.Parse(await Kustomize.RenderAsync("overlays/prod"));
        var chat = Container(manifests, "chat-api");

        foreach (var name in new[] { "ConnectionStrings__chatdb", "ConnectionStrings__redis", "ConnectionStrings__messaging", "ConnectionStrings__letta" })
        {
            var env = chat["env"]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == name)!;
            Assert.NotNull(env["valueFrom"]?["secretKeyRef"]);
            Assert.Null(env["value"]);
        }

        var config = manifests.OfKind("ConfigMap").Single(m => m.Name().StartsWith("platform-config-", StringComparison.Ordinal));
        Assert.Equal("http://otel-collector.monitoring.svc:4317", config["data"]!["OTEL_EXPORTER_OTLP_ENDPOINT"]!.GetValue<string>());
        Assert.Contains(chat["envFrom"]!.AsArray(), source => source!["configMapRef"]?["name"]?.GetValue<string>() == config.Name());
    }

    [Fact]
    public async Task SchemaValidation_BrokenField_IsReported()
    {
        var yaml = await Kustomize.RenderAsync("overlays/prod", root =>
            Edit(root, "base/chat-api.yaml", text => text.Replace("containerPort: 8080", "containerPort: http-port")));

        var results = await SchemaValidator.ValidateAsync(yaml);

        var chat = Assert.Single(results, r => r.Kind == "Deployment" && r.Name == "chat-api");
        Assert.Contains(chat.Errors, error => error.Contains("containerPort", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SchemaValidation_UnknownKind_IsReported()
    {
        var results = await SchemaValidator.ValidateAsync("apiVersion: apps/v1\nkind: Deploymnet\nmetadata:\n  name: typo\n");

        Assert.NotEmpty(Assert.Single(results).Errors);
    }

    public static TheoryData<string, string, string, string> Breakages { get; } = new()
    {
        { "base/chat-api.yaml", "path: /health", "path: /healthz", "readinessProbe is not an HTTP GET of /health" },
        { "base/gateway.yaml", "path: /alive\n              port: http\n            periodSeconds: 10", "path: /health\n              port: http\n            periodSeconds: 10", "livenessProbe is not an HTTP GET of /alive" },
        { "base/memory-sync-api.yaml", "              memory: 512Mi\n", "", "no memory in resources.limits" },
        { "base/tool-execution-api.yaml", "runAsNonRoot: true", "runAsNonRoot: false", "runAsNonRoot is not true" },
        { "base/agent-management-api.yaml", "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true", "allowPrivilegeEscalation is not false" },
        { "base/chat-api.yaml", "key: letta", "key: leta", "reads key leta of Secret" },
        { "base/chat-api.yaml", "name: platform-connections\n                  key: redis", "name: platform-conections\n                  key: redis", "reads Secret platform-conections, which is not in the render" },
        { "base/gateway.yaml", "terminationGracePeriodSeconds: 120", "terminationGracePeriodSeconds: 60", "do not fit in terminationGracePeriodSeconds 60" },
        { "base/memory-sync-api.yaml", "    kind: Deployment\n    name: memory-sync-api", "    kind: Deployment\n    name: memory-sync", "Deployment memory-sync-api: no HorizontalPodAutoscaler" },
        { "base/ingress.yaml", "proxy-buffering: \"off\"", "proxy-buffering: \"on\"", "proxy buffering is not off" },
    };

    [Theory]
    [MemberData(nameof(Breakages))]
    public async Task ProjectRules_BrokenManifest_IsReported(string file, string find, string replace, string expected)
    {
        var yaml = await Kustomize.RenderAsync("overlays/prod", root => Edit(root, file, text =>
        {
            Assert.Contains(find, text, StringComparison.Ordinal);
            return text.Replace(find, replace, StringComparison.Ordinal);
        }));

        var violations = ProjectRules.Check(Manifests.Parse(yaml)).ToList();

        Assert.Contains(violations, violation => violation.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProjectRules_MissingPodDisruptionBudget_IsReported()
    {
        var manifests = Manifests.Parse(await Kustomize.RenderAsync("overlays/dev")).ToList();
        manifests.RemoveAll(m => m.Kind() == "PodDisruptionBudget" && m.Name() == "gateway");

        Assert.Contains("Deployment gateway: no PodDisruptionBudget selects its pods", ProjectRules.Check(manifests));
    }

    [Fact]
    public async Task ProjectRules_MigrationJobWithoutLimits_IsReported()
    {
        var yaml = await Kustomize.RenderAsync("overlays/prod/migrations", root =>
            Edit(root, "migrations/jobs.yaml", text => text.Replace("            limits:\n              cpu: 500m\n              memory: 64Mi\n", "")));

        Assert.Contains(ProjectRules.Check(Manifests.Parse(yaml)), violation => violation.Contains("no cpu in resources.limits", StringComparison.Ordinal));
    }

    private static JsonObject Container(IEnumerable<JsonObject> manifests, string deployment) =>
        manifests.OfKind("Deployment").Single(d => d.Name() == deployment)["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();

    private static void Edit(string root, string file, Func<string, string> change)
    {
        var path = Path.Combine(root, file);
        File.WriteAllText(path, change(File.ReadAllText(path)));
    }
}
