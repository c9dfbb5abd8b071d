using LettaPlatform.ServiceDefaults.Data;
using Npgsql;

namespace LettaPlatform.ServiceDefaults.Tests;

public sealed class ServiceConnectionStringTests
{
    [Fact]
    public void Tune_PlainString_TurnsOffTheResetAndPreparesRepeatedStatements_KeepingTheRest()
    {
        var tuned = new NpgsqlConnectionStringBuilder(ServiceConnectionString.Tune("Host=db;Database=chatdb;Username=chat;Password=secret"));

        Assert.True(tuned.NoResetOnClose);
        Assert.Equal(100, tuned.MaxAutoPrepare);
        Assert.Equal(("db", "chatdb", "chat", "secret"), (tuned.Host, tuned.Database, tuned.Username, tuned.Password));
    }

    [Theory]
    [InlineData("Host=db;No Reset On Close=false;Max Auto Prepare=0")]
    [InlineData("Host=db;noresetonclose=false;MAXAUTOPREPARE=0")]
    public void Tune_StringThatSetsThemItself_KeepsItsOwnValues(string configured)
    {
        var tuned = new NpgsqlConnectionStringBuilder(ServiceConnectionString.Tune(configured));

        Assert.False(tuned.NoResetOnClose);
        Assert.Equal(0, tuned.MaxAutoPrepare);
    }
}
