using System.Globalization;

namespace LettaPlatform.Deployment.Tests;

/// <summary>
/// The project's rules for what it deploys, beyond the API schemas: each returns one sentence per
/// violation, naming the object, so a failing test says what to fix.
/// </summary>
public static class ProjectRules
{
    public static IEnumerable<string> Check(IReadOnlyList<JsonObject> manifests) =>
        Workloads(manifests).SelectMany(workload => PodRules(workload.Name, workload.Kind, workload.Pod))
            .Concat(References(manifests))
            .Concat(ScalingAndDisruption(manifests))
            .Concat(IngressRules(manifests));

    private static IEnumerable<(string Kind, string Name, JsonObject Pod)> Workloads(IEnumerable<JsonObject> manifests) =>
        manifests.Where(m => m.Kind() is "Deployment" or "Job")
            .Select(m => (m.Kind(), m.Name(), (JsonObject)m["spec"]!["template"]!));

    private static IEnumerable<string> PodRules(string name, string kind, JsonObject template)
    {
        var pod = template["spec"]!.AsObject();
        var podNonRoot = pod["securityContext"]?["runAsNonRoot"]?.GetValue<bool>() == true;
        foreach (var container in Containers(pod))
        {
            var where = $"{kind} {name}, container {container["name"]}";
            var security = container["securityContext"];
            if (!podNonRoot && security?["runAsNonRoot"]?.GetValue<bool>() != true)
            {
                yield return $"{where}: runAsNonRoot is not true";
            }

            if (security?["allowPrivilegeEscalation"]?.GetValue<bool>() != false)
            {
                yield return $"{where}: allowPrivilegeEscalation is not false";
            }

            if (security?["privileged"]?.GetValue<bool>() == true)
            {
                yield return $"{where}: is privileged";
            }

            foreach (var bound in new[] { "requests", "limits" })
            {
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    if (container["resources"]?[bound]?[resource] is null)
                    {
                        yield return $"{where}: no {resource} in resources.{bound}";
                    }
                }
            }

            var image = container["image"]?.GetValue<string>() ?? "";
            if (!image.Contains(':', StringComparison.Ordinal) || image.EndsWith(":latest", StringComparison.Ordinal))
            {
                yield return $"{where}: image '{image}' has no fixed tag";
            }

            if (kind != "Deployment")
            {
                // A Job's pod is never behind a Service and ends by itself: probes mean nothing there.
                continue;
            }

            if (container["readinessProbe"]?["httpGet"]?["path"]?.GetValue<string>() != "/health")
            {
                yield return $"{where}: readinessProbe is not an HTTP GET of /health";
            }

            if (container["livenessProbe"]?["httpGet"]?["path"]?.GetValue<string>() != "/alive")
            {
                yield return $"{where}: livenessProbe is not an HTTP GET of /alive";
            }

            // The host must give up on open requests before Kubernetes kills the pod.
            var grace = pod["terminationGracePeriodSeconds"]?.GetValue<long>() ?? 30;
            var preStop = container["lifecycle"]?["preStop"]?["sleep"]?["seconds"]?.GetValue<long>() ?? 0;
            var shutdown = Env(container, "DOTNET_SHUTDOWNTIMEOUTSECONDS") is { } value ? long.Parse(value, CultureInfo.InvariantCulture) : 30;
            if (preStop + shutdown >= grace)
            {
                yield return $"{where}: preStop {preStop} s + shutdown timeout {shutdown} s do not fit in terminationGracePeriodSeconds {grace}";
            }
        }
    }

    /// <summary>Every Secret and ConfigMap a pod reads (env, envFrom, volumes) is in the render, with the key it reads.</summary>
    private static IEnumerable<string> References(IReadOnlyList<JsonObject> manifests)
    {
        var objects = manifests.Where(m => m.Kind() is "Secret" or "ConfigMap")
            .ToDictionary(m => (m.Kind(), m.Name()), m => Keys(m));
        foreach (var (kind, name, template) in Workloads(manifests))
        {
            var pod = template["spec"]!.AsObject();
            foreach (var container in Containers(pod))
            {
                var where = $"{kind} {name}, container {container["name"]}";
                foreach (var env in container["env"]?.AsArray() ?? [])
                {
                    foreach (var (refName, refKind) in new[] { ("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap") })
                    {
                        if (env!["valueFrom"]?[refName] is not { } reference || reference["optional"]?.GetValue<bool>() == true)
                        {
                            continue;
                        }

                        var target = reference["name"]!.GetValue<string>();
                        var key = reference["key"]!.GetValue<string>();
                        if (!objects.TryGetValue((refKind, target), out var keys))
                        {
                            yield return $"{where}: {env["name"]} reads {refKind} {target}, which is not in the render";
                        }
                        else if (!keys.Contains(key))
                        {
                            yield return $"{where}: {env["name"]} reads key {key} of {refKind} {target}, which has no such key";
                        }
                    }
                }

                foreach (var source in container["envFrom"]?.AsArray() ?? [])
                {
                    foreach (var (refName, refKind) in new[] { ("secretRef", "Secret"), ("configMapRef", "ConfigMap") })
                    {
                        if (source![refName] is { } reference && reference["optional"]?.GetValue<bool>() != true
                            && !objects.ContainsKey((refKind, reference["name"]!.GetValue<string>())))
                        {
                            yield return $"{where}: envFrom names {refKind} {reference["name"]}, which is not in the render";
                        }
                    }
                }
            }

            foreach (var volume in pod["volumes"]?.AsArray() ?? [])
            {
                if (volume!["configMap"]?["name"]?.GetValue<string>() is { } configMap && !objects.ContainsKey(("ConfigMap", configMap)))
                {
                    yield return $"{kind} {name}: volume {volume["name"]} names ConfigMap {configMap}, which is not in the render";
                }

                if (volume["secret"]?["secretName"]?.GetValue<string>() is { } secret && !objects.ContainsKey(("Secret", secret)))
                {
                    yield return $"{kind} {name}: volume {volume["name"]} names Secret {secret}, which is not in the render";
                }
            }
        }
    }

    /// <summary>Every Deployment is scaled by an HPA and protected by a PDB that selects its pods.</summary>
    private static IEnumerable<string> ScalingAndDisruption(IReadOnlyList<JsonObject> manifests)
    {
        foreach (var deployment in manifests.OfKind("Deployment"))
        {
            var name = deployment.Name();
            if (!manifests.OfKind("HorizontalPodAutoscaler").Any(hpa =>
                    hpa["spec"]?["scaleTargetRef"]?["kind"]?.GetValue<string>() == "Deployment"
                    && hpa["spec"]?["scaleTargetRef"]?["name"]?.GetValue<string>() == name))
            {
                yield return $"Deployment {name}: no HorizontalPodAutoscaler targets it";
            }

            var labels = deployment["spec"]!["template"]!["metadata"]?["labels"]?.AsObject() ?? [];
            if (!manifests.OfKind("PodDisruptionBudget").Any(pdb =>
                    pdb["spec"]?["selector"]?["matchLabels"]?.AsObject() is { Count: > 0 } match
                    && match.All(pair => labels[pair.Key]?.GetValue<string>() == pair.Value?.GetValue<string>())))
            {
                yield return $"Deployment {name}: no PodDisruptionBudget selects its pods";
            }
        }
    }

    /// <summary>Ingress backends exist, and an ingress in front of event streams does not buffer them.</summary>
    private static IEnumerable<string> IngressRules(IReadOnlyList<JsonObject> manifests)
    {
        var services = manifests.OfKind("Service").Select(s => s.Name()).ToHashSet();
        foreach (var ingress in manifests.OfKind("Ingress"))
        {
            var annotations = ingress["metadata"]?["annotations"]?.AsObject();
            if (annotations?["nginx.ingress.kubernetes.io/proxy-buffering"]?.GetValue<string>() != "off")
            {
                yield return $"Ingress {ingress.Name()}: proxy buffering is not off (server-sent events would be held back)";
            }

            var backends = ingress["spec"]?["rules"]?.AsArray()
                .SelectMany(rule => rule!["http"]?["paths"]?.AsArray() ?? [])
                .Select(path => path!["backend"]?["service"]?["name"]?.GetValue<string>()) ?? [];
            foreach (var backend in backends.Where(b => b is null || !services.Contains(b)))
            {
                yield return $"Ingress {ingress.Name()}: backend Service {backend} is not in the render";
            }
        }
    }

    private static IEnumerable<JsonObject> Containers(JsonObject pod) =>
        (pod["containers"]?.AsArray() ?? []).Concat(pod["initContainers"]?.AsArray() ?? []).Select(c => c!.AsObject());

    private static string? Env(JsonObject container, string name) =>
        container["env"]?.AsArray().FirstOrDefault(e => e!["name"]?.GetValue<string>() == name)?["value"]?.GetValue<string>();

    private static HashSet<string> Keys(JsonObject manifest) =>
        new[] { "data", "stringData", "binaryData" }
            .SelectMany(field => manifest[field]?.AsObject().Select(pair => pair.Key) ?? [])
            .ToHashSet();
}
