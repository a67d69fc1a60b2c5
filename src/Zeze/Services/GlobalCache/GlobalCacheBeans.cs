using Zeze.Serialize;

namespace Zeze.Services.GlobalCache;

// Arguments and results of the global cache protocols (global-and-raft.md A3, D1). Plain sequential fields,
// like the handshake messages: the field order of A3 is kept, and our additions are appended at the end so
// that a shorter message still decodes.

/// <summary>
/// A key and a state: the argument and result of Acquire (requested / granted state) and of Reduce (target /
/// held state). <see cref="Fresh"/> replaces Zeze's use of the request's result code 31 as a flag.
/// </summary>
public sealed class GlobalKeyState : ISerializable
{
    public Binary GlobalKey { get; set; } = Binary.Empty;

    /// <summary><see cref="GlobalState"/>: 0 release/Invalid, 1 Share, 2 Modify.</summary>
    public int State { get; set; }

    /// <summary>Zeze's reducedTid (the History feature); kept for the field order, unused (zero).</summary>
    public long ReducedTidLow { get; set; }

    public long ReducedTidHigh { get; set; }

    /// <summary>
    /// Acquire: the requester's copy was just acquired (A7). Reduce: copied from the acquire that caused it,
    /// so a fresh holder gives the key up to a fresh requester instead of refusing with 16.
    /// </summary>
    public bool Fresh { get; set; }

    public void Encode(ByteBuffer bb)
    {
        bb.WriteBinary(GlobalKey);
        bb.WriteInt(State);
        bb.WriteLong8(ReducedTidLow);
        bb.WriteLong8(ReducedTidHigh);
        bb.WriteBool(Fresh);
    }

    public void Decode(ByteBuffer bb)
    {
        GlobalKey = bb.ReadBinary();
        State = bb.ReadInt();
        ReducedTidLow = bb.ReadLong8();
        ReducedTidHigh = bb.ReadLong8();
        Fresh = bb.Size > 0 && bb.ReadBool();
    }

    public override string ToString() => $"{{key {GlobalKeyText.Format(GlobalKey.Span)}, state {State}{(Fresh ? ", fresh" : "")}}}";
}

/// <summary>Who logs in: the server id (stable across restarts), the GCM instance index (diagnostics), debug mode.</summary>
public sealed class LoginParam : ISerializable
{
    public int ServerId { get; set; }

    /// <summary>Index of the GCM instance in the agent's list (A13); for diagnostics only.</summary>
    public int GlobalCacheManagerHashIndex { get; set; }

    /// <summary>A debugging server: exempt from the AchillesHeel daemons on both sides.</summary>
    public bool DebugMode { get; set; }

    public void Encode(ByteBuffer bb)
    {
        bb.WriteInt(ServerId);
        bb.WriteInt(GlobalCacheManagerHashIndex);
        bb.WriteBool(DebugMode);
    }

    public void Decode(ByteBuffer bb)
    {
        ServerId = bb.ReadInt();
        GlobalCacheManagerHashIndex = bb.ReadInt();
        DebugMode = bb.ReadBool();
    }

    public override string ToString() => $"{{server {ServerId}, index {GlobalCacheManagerHashIndex}{(DebugMode ? ", debug" : "")}}}";
}

/// <summary>
/// The timing inputs the GCM sends in its Login reply (A11); the agent derives every timeout from them
/// (<see cref="AchillesHeelTiming"/>). <see cref="ReconnectTimer"/> and <see cref="DaemonSlack"/> are our
/// additions (Zeze fixes them at 1000 ms), appended so that test profiles reach the agents too.
/// </summary>
public sealed class AchillesHeelConfig : ISerializable
{
    public int MaxNetPing { get; set; }
    public int ServerProcessTime { get; set; }
    public int ServerReleaseTimeout { get; set; }
    public int ReconnectTimer { get; set; } = AchillesHeelTiming.DefaultReconnectTimer;
    public int DaemonSlack { get; set; } = AchillesHeelTiming.DefaultDaemonSlack;

    public void Encode(ByteBuffer bb)
    {
        bb.WriteInt(MaxNetPing);
        bb.WriteInt(ServerProcessTime);
        bb.WriteInt(ServerReleaseTimeout);
        bb.WriteInt(ReconnectTimer);
        bb.WriteInt(DaemonSlack);
    }

    public void Decode(ByteBuffer bb)
    {
        MaxNetPing = bb.ReadInt();
        ServerProcessTime = bb.ReadInt();
        ServerReleaseTimeout = bb.ReadInt();
        ReconnectTimer = bb.Size > 0 ? bb.ReadInt() : AchillesHeelTiming.DefaultReconnectTimer;
        DaemonSlack = bb.Size > 0 ? bb.ReadInt() : AchillesHeelTiming.DefaultDaemonSlack;
    }

    public override string ToString() =>
        $"{{maxNetPing {MaxNetPing}, serverProcessTime {ServerProcessTime}, serverReleaseTimeout {ServerReleaseTimeout}, reconnectTimer {ReconnectTimer}, slack {DaemonSlack}}}";
}

/// <summary>An argument or result that carries nothing (one byte, like Zeze's EmptyBean).</summary>
public sealed class GlobalEmpty : ISerializable
{
    public void Encode(ByteBuffer bb) => bb.WriteByte(0);

    public void Decode(ByteBuffer bb)
    {
        if (bb.Size > 0) bb.ReadByte();
    }

    public override string ToString() => "{}";
}
