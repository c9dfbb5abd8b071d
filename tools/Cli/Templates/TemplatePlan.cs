using LettaPlatform.Cli.Platform;

namespace LettaPlatform.Cli.Templates;

/// <summary>Where one template of the files stands against the platform, and so what <c>apply</c> would do.</summary>
public sealed record TemplatePlan(TemplateDefinition Desired, int ActiveVersion, int LatestVersion, IReadOnlyList<TemplateChange> Changes, bool LatestMatches)
{
    /// <summary>The active version is what the files say: nothing to do.</summary>
    public bool UpToDate => Changes.Count == 0;

    /// <summary>The files differ from the active version and no published version matches them: apply publishes one.</summary>
    public bool NeedsPublish => !UpToDate && !LatestMatches;

    public string Summary => UpToDate
        ? $"{Desired.Id}: no changes (v{ActiveVersion} is active)"
        : LatestMatches
            ? $"{Desired.Id}: matches v{LatestVersion}, published but not active (v{ActiveVersion} is): apply rolls it out"
            : $"{Desired.Id}: changes against active v{ActiveVersion}: apply publishes v{LatestVersion + 1}";

    /// <summary>Compares every template of the files with the platform's active (and latest) versions.</summary>
    public static async Task<IReadOnlyList<TemplatePlan>> CreateAsync(
        PlatformClient platform, IReadOnlyList<TemplateDefinition> templates, CancellationToken cancellationToken)
    {
        var summaries = (await platform.ListTemplatesAsync(cancellationToken)).ToDictionary(t => t.Id, StringComparer.Ordinal);
        var unknown = templates.Where(t => !summaries.ContainsKey(t.Id)).Select(t =>
            $"{t.Id}: the platform has no such template (files publish versions of the platform's templates: {string.Join(", ", summaries.Keys.Order(StringComparer.Ordinal))})").ToList();
        if (unknown.Count > 0)
        {
            throw new TemplateFileException(unknown);
        }

        var plans = new List<TemplatePlan>();
        foreach (var desired in templates)
        {
            var summary = summaries[desired.Id];
            var active = TemplateDefinition.From(await platform.GetTemplateVersionAsync(desired.Id, summary.Version, cancellationToken));
            var changes = TemplateComparison.Changes(active, desired);
            var latestMatches = changes.Count > 0 && summary.LatestVersion != summary.Version
                && TemplateComparison.Changes(TemplateDefinition.From(await platform.GetTemplateVersionAsync(desired.Id, summary.LatestVersion, cancellationToken)), desired).Count == 0;
            plans.Add(new TemplatePlan(desired, summary.Version, summary.LatestVersion, changes, latestMatches));
        }

        return plans;
    }
}
