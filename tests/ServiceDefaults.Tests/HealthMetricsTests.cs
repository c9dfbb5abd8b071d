using System.Diagnostics.Metrics;
using LettaPlatform.ServiceDefaults.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LettaPlatform.ServiceDefaults.Tests;

public sealed class HealthMetricsTests
{
    [Fact]
    public async Task Publish_Report_GaugeHasEachCheckStatus()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        var metrics = new HealthMetrics(meterFactory);
        var statuses = new Dictionary<string, int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meterFactory && instrument.Name == "lettaplatform.health.status")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) => statuses[(string)tags[0].Value!] = value);
        listener.Start();

        await metrics.PublishAsync(Report(("chatdb", HealthStatus.Healthy), ("masstransit-bus", HealthStatus.Unhealthy), ("letta-letta", HealthStatus.Degraded)), TestContext.Current.CancellationToken);
        listener.RecordObservableInstruments();

        Assert.Equal(new Dictionary<string, int> { ["chatdb"] = 2, ["masstransit-bus"] = 0, ["letta-letta"] = 1 }, statuses);

        await metrics.PublishAsync(Report(("masstransit-bus", HealthStatus.Healthy)), TestContext.Current.CancellationToken);
        listener.RecordObservableInstruments();

        Assert.Equal(2, statuses["masstransit-bus"]);
    }

    [Fact]
    public void ServiceDefaults_RegisterTheHealthMetricsPublisher()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder();
        builder.Configuration["Auth:DevSigningKey"] = new string('k', 32);
        builder.AddServiceDefaults();
        using var app = builder.Build();

        Assert.Contains(app.Services.GetServices<IHealthCheckPublisher>(), publisher => publisher is HealthMetrics);
    }

    private static HealthReport Report(params (string Name, HealthStatus Status)[] entries) =>
        new(entries.ToDictionary(e => e.Name, e => new HealthReportEntry(e.Status, null, TimeSpan.Zero, null, null)), TimeSpan.Zero);
}
