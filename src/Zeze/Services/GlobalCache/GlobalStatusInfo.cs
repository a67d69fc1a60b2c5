using System.Text;
using Zeze.Serialize;

namespace Zeze.Services.GlobalCache;

/// <summary>A summary of one GCM instance: what <c>zeze gcm status</c> prints.</summary>
public sealed class GlobalStatusInfo : ISerializable
{
    public int InstanceIndex { get; set; }
    public long UptimeMs { get; set; }

    /// <summary>Remaining start-up quarantine (A12), 0 when over.</summary>
    public long QuarantineRemainingMs { get; set; }

    public string Timing { get; set; } = "";

    /// <summary>Keys held by anybody (entries of the key map).</summary>
    public long Keys { get; set; }

    /// <summary>Keys with a request in progress.</summary>
    public long BusyKeys { get; set; }

    /// <summary>Requests waiting in key queues.</summary>
    public long QueuedRequests { get; set; }

    /// <summary>Counters since start, by name (acquires by state and result, reduces, queue waits, ...).</summary>
    public List<KeyValuePair<string, long>> Counters { get; set; } = [];

    public List<GlobalSessionInfo> Sessions { get; set; } = [];

    /// <summary>The most contended keys (queue waits, deadlock answers and reduces), most contended first.</summary>
    public List<GlobalHotKey> HotKeys { get; set; } = [];

    public long Counter(string name)
    {
        foreach (var kv in Counters)
            if (kv.Key == name) return kv.Value;
        return 0;
    }

    public void Encode(ByteBuffer bb)
    {
        bb.WriteInt(InstanceIndex);
        bb.WriteLong(UptimeMs);
        bb.WriteLong(QuarantineRemainingMs);
        bb.WriteString(Timing);
        bb.WriteLong(Keys);
        bb.WriteLong(BusyKeys);
        bb.WriteLong(QueuedRequests);
        bb.WriteUInt(Counters.Count);
        foreach (var kv in Counters)
        {
            bb.WriteString(kv.Key);
            bb.WriteLong(kv.Value);
        }
        bb.WriteUInt(Sessions.Count);
        foreach (var s in Sessions) s.Encode(bb);
        bb.WriteUInt(HotKeys.Count);
        foreach (var h in HotKeys)
        {
            bb.WriteBinary(h.GlobalKey);
            bb.WriteLong(h.Contention);
        }
    }

    public void Decode(ByteBuffer bb)
    {
        InstanceIndex = bb.ReadInt();
        UptimeMs = bb.ReadLong();
        QuarantineRemainingMs = bb.ReadLong();
        Timing = bb.ReadString();
        Keys = bb.ReadLong();
        BusyKeys = bb.ReadLong();
        QueuedRequests = bb.ReadLong();
        int n = bb.ReadCount();
        Counters = new(n);
        for (int i = 0; i < n; i++) Counters.Add(new(bb.ReadString(), bb.ReadLong()));
        n = bb.ReadCount();
        Sessions = new(n);
        for (int i = 0; i < n; i++)
        {
            var s = new GlobalSessionInfo();
            s.Decode(bb);
            Sessions.Add(s);
        }
        n = bb.ReadCount();
        HotKeys = new(n);
        for (int i = 0; i < n; i++) HotKeys.Add(new GlobalHotKey(bb.ReadBinary(), bb.ReadLong()));
    }

    /// <summary>The text the status command prints.</summary>
    public string Format()
    {
        var sb = new StringBuilder();
        sb.Append("GCM instance ").Append(InstanceIndex).Append(", up ").Append(UptimeMs / 1000.0).AppendLine(" s");
        sb.Append("quarantine: ").AppendLine(QuarantineRemainingMs > 0 ? $"{QuarantineRemainingMs} ms left (only Login/ReLogin served)" : "over");
        sb.Append("timing: ").AppendLine(Timing);
        sb.Append("keys: ").Append(Keys).Append(", busy: ").Append(BusyKeys).Append(", queued requests: ").Append(QueuedRequests).AppendLine();
        sb.Append("sessions: ").Append(Sessions.Count).AppendLine();
        foreach (var s in Sessions) sb.Append("  ").AppendLine(s.ToString());
        sb.AppendLine("counters:");
        foreach (var kv in Counters) sb.Append("  ").Append(kv.Key).Append(" = ").Append(kv.Value).AppendLine();
        sb.Append("hot keys: ").Append(HotKeys.Count).AppendLine();
        foreach (var h in HotKeys) sb.Append("  ").Append(h.Contention).Append("  ").AppendLine(GlobalKeyText.Format(h.GlobalKey.Span));
        return sb.ToString();
    }

    public override string ToString() => Format();
}

/// <summary>One server's session on a GCM.</summary>
public sealed class GlobalSessionInfo
{
    public int ServerId { get; set; }
    public bool Connected { get; set; }
    public string Remote { get; set; } = "";
    public bool LoggedIn { get; set; }
    public bool DebugMode { get; set; }
    public long KeysHeld { get; set; }
    public long IdleMs { get; set; }

    /// <summary>Time since the last reduce failure, or -1.</summary>
    public long LastErrorAgoMs { get; set; } = -1;

    internal void Encode(ByteBuffer bb)
    {
        bb.WriteInt(ServerId);
        bb.WriteBool(Connected);
        bb.WriteString(Remote);
        bb.WriteBool(LoggedIn);
        bb.WriteBool(DebugMode);
        bb.WriteLong(KeysHeld);
        bb.WriteLong(IdleMs);
        bb.WriteLong(LastErrorAgoMs);
    }

    internal void Decode(ByteBuffer bb)
    {
        ServerId = bb.ReadInt();
        Connected = bb.ReadBool();
        Remote = bb.ReadString();
        LoggedIn = bb.ReadBool();
        DebugMode = bb.ReadBool();
        KeysHeld = bb.ReadLong();
        IdleMs = bb.ReadLong();
        LastErrorAgoMs = bb.ReadLong();
    }

    public override string ToString() =>
        $"server {ServerId}: {(Connected ? "connected " + Remote : "disconnected")}, {(LoggedIn ? "logged in" : "not logged in")}" +
        $"{(DebugMode ? ", debug" : "")}, keys {KeysHeld}, idle {IdleMs} ms{(LastErrorAgoMs >= 0 ? $", last reduce error {LastErrorAgoMs} ms ago" : "")}";
}

/// <summary>A contended key and how often requests for it had to wait, were refused for deadlock, or needed reduces.</summary>
public sealed record GlobalHotKey(Binary GlobalKey, long Contention);
