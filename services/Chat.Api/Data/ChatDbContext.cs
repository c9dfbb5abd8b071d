using LettaPlatform.Chat.Api.Model;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Data;
using LettaPlatform.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.Chat.Api.Data;

public sealed class ChatDbContext(DbContextOptions<ChatDbContext> options) : DbContext(options)
{
    public DbSet<ChatSession> Sessions => Set<ChatSession>();
    public DbSet<ChatMessage> Messages => Set<ChatMessage>();
    public DbSet<ChatTurn> Turns => Set<ChatTurn>();
    public DbSet<PendingToolCall> PendingToolCalls => Set<PendingToolCall>();
    public DbSet<DebugCaptureSwitch> DebugSwitches => Set<DebugCaptureSwitch>();
    public DbSet<DebugCaptureEntry> DebugEntries => Set<DebugCaptureEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ChatSession>(session =>
        {
            session.ToTable("ChatSessions");
            session.HasKey(s => s.Id);
            session.Property(s => s.Id).ValueGeneratedNever();
            session.Property(s => s.UserId).HasMaxLength(AuthExtensions.MaxSubjectLength);
            session.Property(s => s.TemplateId).HasMaxLength(100);
            session.Property(s => s.Title).HasMaxLength(200);
            session.Property(s => s.LettaConversationId).HasMaxLength(100);
            session.Property(s => s.LettaInstance).HasMaxLength(100);
            session.Property(s => s.LettaAgentId).HasMaxLength(100);
            session.HasIndex(s => new { s.UserId, s.Id });
            session.HasIndex(s => s.AgentId);
            session.Property(s => s.HandOffToolCallId).HasMaxLength(200);
            session.Property(s => s.HandOffArguments).HasColumnType("jsonb");
            session.HasIndex(s => new { s.UserId, s.ParentSessionId, s.Id });

            // A hand-off's session goes with the session that asked for it.
            session.HasOne<ChatSession>().WithMany().HasForeignKey(s => s.ParentSessionId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ChatMessage>(message =>
        {
            message.ToTable("ChatMessages");
            message.HasKey(m => m.Sequence);
            message.Property(m => m.Sequence).UseIdentityAlwaysColumn();
            message.Property(m => m.Role).HasMaxLength(20);
            message.Property(m => m.ToolCallId).HasMaxLength(200);
            message.Property(m => m.ToolName).HasMaxLength(200);
            message.Property(m => m.ToolStatus).HasMaxLength(20);
            message.HasIndex(m => m.Id).IsUnique();
            message.HasIndex(m => new { m.SessionId, m.Sequence });
            message.HasOne<ChatSession>().WithMany().HasForeignKey(m => m.SessionId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ChatTurn>(turn =>
        {
            turn.ToTable("ChatTurns");
            turn.HasKey(t => t.Id);
            turn.Property(t => t.Id).ValueGeneratedNever();
            turn.Property(t => t.UserId).HasMaxLength(AuthExtensions.MaxSubjectLength);
            turn.Property(t => t.Status).HasMaxLength(30);
            turn.Property(t => t.StopReason).HasMaxLength(100);
            turn.Property(t => t.ErrorCode).HasMaxLength(100);
            turn.HasIndex(t => t.SessionId);
            turn.HasIndex(t => t.StartedAt);
            turn.HasOne<ChatSession>().WithMany().HasForeignKey(t => t.SessionId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<DebugCaptureSwitch>(capture =>
        {
            capture.ToTable("DebugCaptureSwitches");
            capture.HasKey(c => c.SessionId);
            capture.Property(c => c.EnabledBy).HasMaxLength(AuthExtensions.MaxSubjectLength);
            capture.HasOne<ChatSession>().WithOne().HasForeignKey<DebugCaptureSwitch>(c => c.SessionId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<DebugCaptureEntry>(entry =>
        {
            entry.ToTable("DebugCaptureEntries");
            entry.HasKey(e => e.Sequence);
            entry.Property(e => e.Sequence).UseIdentityAlwaysColumn();
            entry.Property(e => e.TraceId).HasMaxLength(32);
            entry.Property(e => e.Kind).HasMaxLength(30);
            entry.Property(e => e.Name).HasMaxLength(300);
            entry.Property(e => e.Data).HasColumnType("jsonb");
            entry.HasIndex(e => new { e.SessionId, e.Sequence });
            entry.HasOne<ChatSession>().WithMany().HasForeignKey(e => e.SessionId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<PendingToolCall>(pending =>
        {
            pending.ToTable("PendingToolCalls");
            pending.HasKey(p => p.Id);
            pending.Property(p => p.Id).ValueGeneratedNever();
            pending.Property(p => p.UserId).HasMaxLength(AuthExtensions.MaxSubjectLength);
            pending.Property(p => p.ToolCallId).HasMaxLength(200);
            pending.Property(p => p.ToolName).HasMaxLength(200);
            pending.Property(p => p.Status).HasMaxLength(20);
            pending.Property(p => p.ResolvedBy).HasMaxLength(AuthExtensions.MaxSubjectLength);
            pending.Property(p => p.Reason).HasMaxLength(2000);
            pending.Property(p => p.PreviewJson).HasColumnType("jsonb");
            pending.HasIndex(p => new { p.SessionId, p.ToolCallId }).IsUnique();
            pending.HasIndex(p => new { p.Status, p.CreatedAt });
            pending.HasOne<ChatSession>().WithMany().HasForeignKey(p => p.SessionId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.AddOutbox();
        modelBuilder.UseSnakeCaseNames();
    }
}
