using Zeze.Net;

namespace Zeze.Services.GlobalCache;

// The global cache protocols: module 0, ids = Hash32 of Zeze's class names "Zeze.Services.GlobalCacheManager.<Name>"
// (wire-and-schema.md C4; pinned by the tests). Status is ours.

/// <summary>App server → GCM: acquire Share/Modify, or release (state Invalid). Result: the granted state.</summary>
public sealed class Acquire : Rpc<GlobalKeyState, GlobalKeyState>
{
    public Acquire() : base(new GlobalKeyState()) { } // the hot path: no Activator (see Rpc's constructors)
    protected override GlobalKeyState NewResult() => new();

    public const int ModuleId_ = 0;
    public const int ProtocolId_ = 1225831619;
    public const long TypeId_ = 1225831619;
    public override int ModuleId => ModuleId_;
    public override int ProtocolId => ProtocolId_;
}

/// <summary>GCM → app server: give a key up (target state in the argument). Result: the state now held.</summary>
public sealed class Reduce : Rpc<GlobalKeyState, GlobalKeyState>
{
    public Reduce() : base(new GlobalKeyState()) { } // the hot path: no Activator (see Rpc's constructors)
    protected override GlobalKeyState NewResult() => new();

    public const int ModuleId_ = 0;
    public const int ProtocolId_ = -1004125491;
    public const long TypeId_ = 3290841805;
    public override int ModuleId => ModuleId_;
    public override int ProtocolId => ProtocolId_;
}

/// <summary>App server → GCM, first connection of the agent process: releases what the server held before.</summary>
public sealed class Login : Rpc<LoginParam, AchillesHeelConfig>
{
    public const int ModuleId_ = 0;
    public const int ProtocolId_ = -1420506365;
    public const long TypeId_ = 2874460931;
    public override int ModuleId => ModuleId_;
    public override int ProtocolId => ProtocolId_;
}

/// <summary>App server → GCM, reconnection: keeps the server's keys (only within one GCM process lifetime).</summary>
public sealed class ReLogin : Rpc<LoginParam, GlobalEmpty>
{
    public const int ModuleId_ = 0;
    public const int ProtocolId_ = 1197409195;
    public const long TypeId_ = 1197409195;
    public override int ModuleId => ModuleId_;
    public override int ProtocolId => ProtocolId_;
}

/// <summary>App server → GCM, orderly stop (after the final checkpoint): releases everything.</summary>
public sealed class NormalClose : Rpc<GlobalEmpty, GlobalEmpty>
{
    public const int ModuleId_ = 0;
    public const int ProtocolId_ = -532299976;
    public const long TypeId_ = 3762667320;
    public override int ModuleId => ModuleId_;
    public override int ProtocolId => ProtocolId_;
}

/// <summary>App server → GCM when idle: refreshes the session's activity on both sides.</summary>
public sealed class GlobalKeepAlive : Rpc<GlobalEmpty, GlobalEmpty>
{
    public const int ModuleId_ = 0;
    public const int ProtocolId_ = 560224048;
    public const long TypeId_ = 560224048;
    public override int ModuleId => ModuleId_;
    public override int ProtocolId => ProtocolId_;
}

/// <summary>Admin → GCM: a summary of sessions, keys, queues and counters (no login needed).</summary>
public sealed class GlobalStatus : Rpc<GlobalEmpty, GlobalStatusInfo>
{
    public const int ModuleId_ = 0;
    public const int ProtocolId_ = 1029880046;
    public const long TypeId_ = 1029880046;
    public override int ModuleId => ModuleId_;
    public override int ProtocolId => ProtocolId_;
}
