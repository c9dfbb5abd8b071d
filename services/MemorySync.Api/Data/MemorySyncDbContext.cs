using LettaPlatform.MemorySync.Api.Model;
using LettaPlatform.ServiceDefaults.Data;
using LettaPlatform.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.MemorySync.Api.Data;

public sealed class MemorySyncDbContext(DbContextOptions<MemorySyncDbContext> options) : DbContext(options)
{
    public DbSet<MemoryAgent> Agents => Set<MemoryAgent>();
    public DbSet<MemoryBlock> Blocks => Set<MemoryBlock>();
    public DbSet<BlockVersion> Versions => Set<BlockVersion>();
    public DbSet<Snapshot> Snapshots => Set<Snapshot>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(MemorySyncDbContext).Assembly);
        modelBuilder.AddOutbox();
        modelBuilder.UseSnakeCaseNames();
    }
}
