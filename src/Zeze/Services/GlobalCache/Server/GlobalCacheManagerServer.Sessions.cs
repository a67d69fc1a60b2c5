using Zeze.Net;

namespace Zeze.Services.GlobalCache;

// Sessions (A9): a server id owns one session for the GCM's whole life. Login binds a connection and releases what
// the server held before (it restarted with an empty cache); ReLogin binds and keeps (a reconnection within this
// GCM's lifetime); NormalClose releases everything; a closed connection only unbinds.
public sealed partial class GlobalCacheManagerServer
{
    private async ValueTask<long> ProcessLoginAsync(Login rpc)
    {
        var so = rpc.Sender!;
        var arg = rpc.Argument;
        var session = _sessions.GetOrAdd(arg.ServerId, static id => new GcmSession(id));
        string? refused = null;
        lock (session.Lock)
        {
            var bound = session.Socket;
            if (so.UserState != null) refused = "this connection is already logged in";
            else if (bound != null && !bound.IsClosed && !ReferenceEquals(bound, so))
                refused = $"server id {arg.ServerId} is in use by a live connection from {bound.RemoteEndPoint} (two processes with one ServerId?)";
            else
            {
                session.Socket = so;
                so.UserState = session;
                session.LoggedIn = true;
                session.DebugMode = arg.DebugMode;
                session.Touch(Now);
            }
        }
        if (refused != null)
        {
            Interlocked.Increment(ref _metrics.LoginsRefused);
            GcmLog.LoginRefused(_logger, arg.ServerId, so.RemoteEndPoint?.ToString(), refused);
            rpc.SendResultCode(GlobalResultCode.LoginBindSocketFail);
            return 0;
        }
        int released = await ReleaseAllAsync(session).ConfigureAwait(false);
        session.Touch(Now);
        Interlocked.Increment(ref _metrics.Logins);
        GcmLog.LoggedIn(_logger, arg.ServerId, so.RemoteEndPoint?.ToString(), arg.DebugMode, released);
        rpc.Result = Timing.ToConfig();
        rpc.SendResult();
        return 0;
    }

    private ValueTask<long> ProcessReLogin(ReLogin rpc)
    {
        var so = rpc.Sender!;
        var arg = rpc.Argument;
        string? refused = null;
        if (!_sessions.TryGetValue(arg.ServerId, out var session))
        {
            refused = "unknown server id (this GCM process never saw it log in)";
        }
        else
        {
            lock (session.Lock)
            {
                var bound = session.Socket;
                if (!session.LoggedIn) refused = "not logged in during this GCM process lifetime (restarted, kicked or closed)";
                else if (so.UserState != null) refused = "this connection is already logged in";
                else if (bound != null && !bound.IsClosed && !ReferenceEquals(bound, so))
                    refused = $"server id {arg.ServerId} is in use by a live connection from {bound.RemoteEndPoint}";
                else
                {
                    session.Socket = so;
                    so.UserState = session;
                    session.DebugMode = arg.DebugMode;
                    session.Touch(Now);
                }
            }
        }
        if (refused != null)
        {
            Interlocked.Increment(ref _metrics.LoginsRefused);
            GcmLog.ReLoginRefused(_logger, arg.ServerId, so.RemoteEndPoint?.ToString(), refused);
            rpc.SendResultCode(GlobalResultCode.ReLoginBindSocketFail);
            return ValueTask.FromResult(0L);
        }
        Interlocked.Increment(ref _metrics.ReLogins);
        GcmLog.ReLoggedIn(_logger, arg.ServerId, so.RemoteEndPoint?.ToString());
        rpc.SendResult();
        return ValueTask.FromResult(0L);
    }

    private async ValueTask<long> ProcessNormalCloseAsync(NormalClose rpc)
    {
        var so = rpc.Sender!;
        if (so.UserState is not GcmSession session || !session.IsBoundTo(so))
        {
            rpc.SendResultCode(GlobalResultCode.NormalCloseUnbindFail);
            return 0;
        }
        int released = await ReleaseAllAsync(session).ConfigureAwait(false);
        lock (session.Lock)
        {
            if (session.IsBoundTo(so)) session.Socket = null;
            so.UserState = null;
            session.LoggedIn = false;
        }
        GcmLog.NormalClosed(_logger, session.ServerId, released);
        rpc.SendResult();
        return 0;
    }

    private ValueTask<long> ProcessKeepAlive(GlobalKeepAlive rpc)
    {
        var so = rpc.Sender!;
        if (so.UserState is GcmSession session && session.IsBoundTo(so))
        {
            session.Touch(Now);
            rpc.SendResult();
        }
        else
        {
            rpc.SendResultCode(GlobalResultCode.AcquireNotLogin);
        }
        return ValueTask.FromResult(0L);
    }

    private void OnSocketClosed(AsyncSocket so, string reason)
    {
        if (so.UserState is not GcmSession session) return;
        bool wasBound;
        lock (session.Lock)
        {
            wasBound = session.IsBoundTo(so);
            if (wasBound) session.Socket = null;
        }
        if (wasBound) GcmLog.Disconnected(_logger, session.ServerId, reason);
    }

    /// <summary>
    /// Releases every key <paramref name="session"/> holds, each in its key's turn (the waiting variant of A5).
    /// Returns how many keys it released.
    /// </summary>
    private async Task<int> ReleaseAllAsync(GcmSession session)
    {
        var keys = session.Acquired.Keys;
        if (keys.Count == 0) return 0;
        var done = new List<Task>(keys.Count);
        foreach (var key in keys)
        {
            var req = new GcmRequest(session, GlobalState.Invalid, fresh: false, rpc: null);
            Submit(req, key);
            done.Add(req.Done!.Task);
        }
        await Task.WhenAll(done).ConfigureAwait(false);
        return done.Count;
    }
}
