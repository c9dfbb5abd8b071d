using LettaPlatform.AgentManagement.Client;
using LettaPlatform.ServiceDefaults;
using LettaPlatform.ServiceDefaults.Caching;
using LettaPlatform.ServiceDefaults.Data;
using LettaPlatform.ServiceDefaults.Messaging;
using LettaPlatform.ToolExecution.Api.Consumers;
using LettaPlatform.ToolExecution.Api.Data;
using LettaPlatform.ToolExecution.Api.GitHub;
using LettaPlatform.ToolExecution.Api.Guard;
using LettaPlatform.ToolExecution.Api.Tools;
using MassTransit;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using StackExchange.Redis;

namespace LettaPlatform.ToolExecution.Api.Extensions;

public static class Extensions
{
    /// <summary>Where the Data Protection key ring that encrypts GitHub tokens lives in the shared Redis.</summary>
    public const string DataProtectionKeysKey = "tool-execution:data-protection-keys";

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ToolExecutionOptions>()
            .BindConfiguration(ToolExecutionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<GitHubOptions>()
            .BindConfiguration(GitHubOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<GitHubOptions>, GitHubOptionsValidation>();

        // Request records declare their rules (DataAnnotations); they are checked before a handler runs.
        builder.Services.AddValidation();

        builder.AddServiceDatabase<ToolExecutionDbContext>("toolsdb");
        builder.AddRedis();
        builder.AddMessaging<ToolExecutionDbContext>(bus =>
        {
            bus.AddConsumer<ExecuteToolCallConsumer, ExecuteToolCallConsumerDefinition>();
            bus.AddConsumer<GetToolCatalogConsumer, GetToolCatalogConsumerDefinition>();
            bus.AddConsumer<PreviewToolCallConsumer, PreviewToolCallConsumerDefinition>();
            bus.AddEventConsumer<ToolCallRefusedConsumer>();
        });
        builder.AddAgentDirectory();
        builder.AddMeters(ToolExecutionMetrics.MeterName);

        // Every replica must decrypt what another encrypted, so the key ring is in the shared Redis.
        builder.Services.AddDataProtection().SetApplicationName("lettaplatform-tool-execution");
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IConnectionMultiplexer>((keys, redis) =>
                keys.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), DataProtectionKeysKey));
        builder.Services.AddHostedService<SharedKeyRing>();

        builder.Services.AddOpenApi();

        builder.Services.AddSingleton<ToolExecutionMetrics>();
        builder.Services.AddSingleton<GitHubClientFactory>();
        builder.Services.AddSingleton<RateLimiter>();
        builder.Services.AddScoped<GitHubCredentials>();
        builder.Services.AddScoped<TaskStore>();
        builder.Services.AddScoped<AuditLedger>();
        builder.Services.AddScoped<ToolExecutionGuard>();
        builder.Services.AddScoped<IToolHandler, QueryTasksTool>();
        builder.Services.AddScoped<IToolHandler, CreateTaskTool>();
        builder.Services.AddScoped<IToolHandler, UpdateTaskTool>();
        builder.Services.AddScoped<IToolHandler, BreakDownTaskTool>();
        builder.Services.AddScoped<IToolHandler, TaskProgressReportTool>();
        builder.Services.AddScoped<IToolHandler, GetRepositoryInfoTool>();
        builder.Services.AddScoped<IToolHandler, CreatePullRequestTool>();

        // Code assistant and documentation writer (GitHub).
        builder.Services.AddScoped<IToolHandler, ReadRepositoryContentsTool>();
        builder.Services.AddScoped<IToolHandler, ListPullRequestsTool>();
        builder.Services.AddScoped<IToolHandler, GetPullRequestTool>();
        builder.Services.AddScoped<IToolHandler, PostPullRequestReviewTool>();
        builder.Services.AddScoped<IToolHandler, ReadRepositoryDocsTool>();
        builder.Services.AddScoped<IToolHandler, ProposeDocumentationChangeTool>();

        // Hand-offs between a person's agents (issue 19).
        builder.Services.AddScoped<IToolHandler, AskAgentTool>();

        return builder;
    }
}
