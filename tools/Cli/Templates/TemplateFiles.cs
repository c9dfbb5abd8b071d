using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace LettaPlatform.Cli.Templates;

/// <summary>The template files were not valid; <see cref="Errors"/> says where and why.</summary>
public sealed class TemplateFileException(IReadOnlyList<string> errors)
    : Exception($"The template files are not valid:{Environment.NewLine}  {string.Join($"{Environment.NewLine}  ", errors)}")
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// Reads a templates folder: <c>base/&lt;id&gt;.yaml</c>, one whole template per file, and optionally an
/// environment folder (<c>dev/</c>, <c>prod/</c>, …) whose files override parts of the base templates.
/// </summary>
public static class TemplateFiles
{
    public const string BaseFolder = "base";
    public const int DefaultBlockLimit = 5000;

    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    /// <summary>The templates of <paramref name="environment"/> (or the base alone), ordered by id; throws <see cref="TemplateFileException"/>.</summary>
    public static IReadOnlyList<TemplateDefinition> Load(string directory, string? environment)
    {
        var errors = new List<string>();
        var baseFolder = Path.Combine(directory, BaseFolder);
        if (!Directory.Exists(baseFolder))
        {
            throw new TemplateFileException([$"{baseFolder}: no such folder (a templates folder has base/ and one folder per environment)."]);
        }

        var templates = new SortedDictionary<string, (TemplateFile File, List<string> Sources)>(StringComparer.Ordinal);
        foreach (var (path, file) in ReadFolder(baseFolder, errors))
        {
            if (file.Blocks?.Any(b => b.Remove) == true || file.Tools?.Any(t => t.Remove) == true)
            {
                errors.Add($"{path}: 'remove' belongs in an environment's overrides, not in a base template.");
            }

            if (!templates.TryAdd(file.Id!, (file, [path])))
            {
                errors.Add($"{path}: template '{file.Id}' is defined twice in {BaseFolder}/.");
            }
        }

        if (environment is not null)
        {
            var environmentFolder = Path.Combine(directory, environment);
            if (environment == BaseFolder || !Directory.Exists(environmentFolder))
            {
                throw new TemplateFileException([$"{environmentFolder}: there is no folder for environment '{environment}'."]);
            }

            foreach (var (path, overrides) in ReadFolder(environmentFolder, errors))
            {
                if (!templates.TryGetValue(overrides.Id!, out var template))
                {
                    errors.Add($"{path}: there is no base template '{overrides.Id}' to override.");
                    continue;
                }

                Override(template.File, overrides, path, errors);
                template.Sources.Add(path);
            }
        }

        var definitions = templates.Values.Select(t => Resolve(t.File, string.Join(" + ", t.Sources), errors)).ToList();
        return errors.Count > 0 ? throw new TemplateFileException(errors) : definitions;
    }

    private static IEnumerable<(string Path, TemplateFile File)> ReadFolder(string folder, List<string> errors)
    {
        var paths = Directory.EnumerateFiles(folder, "*.yaml").Concat(Directory.EnumerateFiles(folder, "*.yml")).Order(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            TemplateFile? file;
            try
            {
                file = Yaml.Deserialize<TemplateFile?>(File.ReadAllText(path));
            }
            catch (YamlException ex)
            {
                errors.Add($"{path}({ex.Start.Line},{ex.Start.Column}): {(ex.InnerException ?? ex).Message}");
                continue;
            }

            if (file is null)
            {
                errors.Add($"{path}: the file is empty.");
            }
            else if (string.IsNullOrWhiteSpace(file.Id))
            {
                errors.Add($"{path}: 'id' is required.");
            }
            else if (file.Id != Path.GetFileNameWithoutExtension(path))
            {
                errors.Add($"{path}: a template's file is named after its id ('{file.Id}.yaml').");
            }
            else
            {
                yield return (path, file);
            }
        }
    }

    /// <summary>Applies an environment's overrides to the base template, in place.</summary>
    private static void Override(TemplateFile template, TemplateFile overrides, string path, List<string> errors)
    {
        template.Name = overrides.Name ?? template.Name;
        template.Description = overrides.Description ?? template.Description;
        template.SystemPrompt = overrides.SystemPrompt ?? template.SystemPrompt;
        template.Tags = overrides.Tags ?? template.Tags;

        foreach (var entry in overrides.Blocks ?? [])
        {
            var blocks = template.Blocks ??= [];
            var existing = blocks.FirstOrDefault(b => b.Label == entry.Label);
            if (entry.Remove)
            {
                if (existing is null || !blocks.Remove(existing))
                {
                    errors.Add($"{path}: block '{entry.Label}' is removed but the base template has no such block.");
                }
            }
            else if (existing is null)
            {
                blocks.Add(entry);
            }
            else
            {
                existing.Value = entry.Value ?? existing.Value;
                existing.Limit = entry.Limit ?? existing.Limit;
                existing.Description = entry.Description ?? existing.Description;
            }
        }

        foreach (var entry in overrides.Tools ?? [])
        {
            var tools = template.Tools ??= [];
            var existing = tools.FirstOrDefault(t => t.Name == entry.Name);
            if (entry.Remove)
            {
                if (existing is null || !tools.Remove(existing))
                {
                    errors.Add($"{path}: tool '{entry.Name}' is removed but the base template has no such tool.");
                }
            }
            else if (existing is null)
            {
                tools.Add(entry);
            }
            else
            {
                existing.RequiresApproval = entry.RequiresApproval ?? existing.RequiresApproval;
            }
        }
    }

    /// <summary>
    /// The template as the platform will receive it, after checks of its shape. The platform checks the
    /// rest (known tools, label syntax) when the version is published and answers with the field in error.
    /// </summary>
    private static TemplateDefinition Resolve(TemplateFile file, string source, List<string> errors)
    {
        void Require(string? value, string field)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"{source}: '{field}' is required.");
            }
        }

        Require(file.Name, "name");
        Require(file.Description, "description");
        Require(file.SystemPrompt, "systemPrompt");

        var blocks = file.Blocks ?? [];
        if (blocks.Count == 0)
        {
            errors.Add($"{source}: 'blocks' must list at least one block.");
        }

        foreach (var (block, index) in blocks.Select((block, index) => (block, index)))
        {
            Require(block.Label, $"blocks[{index}].label");
            var limit = block.Limit ?? DefaultBlockLimit;
            if (limit is < 100 or > 100_000)
            {
                errors.Add($"{source}: block '{block.Label}': limit must be between 100 and 100000.");
            }
            else if (TemplateDefinition.NormalizeText(block.Value ?? "").Length is var length && length > limit)
            {
                errors.Add($"{source}: block '{block.Label}': its value ({length} characters) is longer than its limit ({limit}).");
            }
        }

        foreach (var duplicate in blocks.GroupBy(b => b.Label).Where(g => g.Count() > 1))
        {
            errors.Add($"{source}: block '{duplicate.Key}' appears {duplicate.Count()} times.");
        }

        if (file.Tools is null)
        {
            errors.Add($"{source}: 'tools' is required (an empty list, [], when the agents get no tools).");
        }

        var tools = file.Tools ?? [];
        foreach (var (tool, index) in tools.Select((tool, index) => (tool, index)))
        {
            Require(tool.Name, $"tools[{index}].name");
        }

        foreach (var duplicate in tools.GroupBy(t => t.Name).Where(g => g.Count() > 1))
        {
            errors.Add($"{source}: tool '{duplicate.Key}' appears {duplicate.Count()} times.");
        }

        var tags = file.Tags ?? [];
        if (tags.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add($"{source}: a tag may not be empty.");
        }

        return new TemplateDefinition(
            file.Id!,
            file.Name?.Trim() ?? "",
            file.Description?.Trim() ?? "",
            TemplateDefinition.NormalizeText(file.SystemPrompt ?? ""),
            tags,
            [.. blocks.Select(b => new BlockDefinition(b.Label ?? "", TemplateDefinition.NormalizeText(b.Value ?? ""), b.Limit ?? DefaultBlockLimit, TemplateDefinition.NormalizeText(b.Description ?? "")))],
            [.. tools.Select(t => new ToolDefinition(t.Name ?? "", t.RequiresApproval ?? false))]);
    }
}
