using System.Collections.Concurrent;
using Zeze.Net;
using Zeze.Serialize;

namespace Zeze.Services.GlobalCache;

/// <summary>
/// One app server as the GCM knows it (A5 "CacheHolder"): kept for the GCM's whole life, whatever happens to
/// its connections. <see cref="Acquired"/> changes only under the lock of the key concerned.
/// </summary>
internal sealed class GcmSession(int serverId)
{
    public int ServerId { get; } = serverId;

    /// <summary>Keys this server holds and in which state (Share or Modify).</summary>
    public readonly ConcurrentDictionary<Binary, int> Acquired = new();

    /// <summary>Guards <see cref="Socket"/>, <see cref="LoggedIn"/> and <see cref="DebugMode"/>.</summary>
    public readonly object Lock = new();

    private AsyncSocket? _socket;

    /// <summary>The connection bound by Login/ReLogin; null while disconnected.</summary>
    public AsyncSocket? Socket
    {
        get => Volatile.Read(ref _socket);
        set => Volatile.Write(ref _socket, value);
    }

    /// <summary>Logged in during this GCM process lifetime (ReLogin is refused otherwise).</summary>
    public bool LoggedIn;

    public bool DebugMode;

    private long _activeTimestamp;
    private long _lastErrorTimestamp;

    public long ActiveTimestamp => Volatile.Read(ref _activeTimestamp);

    /// <summary>When a reduce to this server last failed (0: never).</summary>
    public long LastErrorTimestamp => Volatile.Read(ref _lastErrorTimestamp);

    public void Touch(long now) => Volatile.Write(ref _activeTimestamp, now);

    public void MarkError(long now) => Volatile.Write(ref _lastErrorTimestamp, now);

    /// <summary>True when <paramref name="socket"/> is the one bound to this session.</summary>
    public bool IsBoundTo(AsyncSocket socket) => ReferenceEquals(Socket, socket);

    public override string ToString() => $"server {ServerId}";
}
