namespace Zeze.Services.GlobalCache;

// The GCM side of AchillesHeel (A11): a session silent for longer than GlobalDaemonTimeout is kicked (its
// connection closed, its login forgotten) and its keys released. By then the server has released them itself
// or stopped (its own daemon gives up after ServerDaemonTimeout and must finish within ServerReleaseTimeout).
public sealed partial class GlobalCacheManagerServer
{
    private int _daemonRunning;

    private void OnDaemonTimer()
    {
        if (Interlocked.Exchange(ref _daemonRunning, 1) != 0) return;
        _ = RunDaemonAsync();
    }

    private async Task RunDaemonAsync()
    {
        try
        {
            await CheckSessionsAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            GcmLog.DaemonFailed(_logger, e);
        }
        finally
        {
            Volatile.Write(ref _daemonRunning, 0);
        }
    }

    /// <summary>One daemon pass: kicks and releases every inactive non-debug session. Public for tests and tools.</summary>
    public async Task CheckSessionsAsync()
    {
        long now = Now;
        List<Task>? kicks = null;
        foreach (var session in _sessions.Values)
        {
            if (session.DebugMode) continue;
            if (session.Socket == null && !session.LoggedIn && session.Acquired.IsEmpty) continue;
            long idle = ElapsedMs(session.ActiveTimestamp, now);
            if (idle <= Timing.GlobalDaemonTimeout) continue;
            (kicks ??= []).Add(KickAsync(session, idle));
        }
        if (kicks != null) await Task.WhenAll(kicks).ConfigureAwait(false);
    }

    private async Task KickAsync(GcmSession session, long idleMs)
    {
        Net.AsyncSocket? so;
        lock (session.Lock)
        {
            so = session.Socket;
            session.Socket = null;
            session.LoggedIn = false; // a ReLogin must fail: the server has to log in and start empty
            if (so != null) so.UserState = null;
        }
        session.Touch(Now);
        Interlocked.Increment(ref _metrics.Kicks);
        GcmLog.Kicked(_logger, session.ServerId, idleMs, Timing.GlobalDaemonTimeout, session.Acquired.Count);
        so?.Close($"kicked by the GCM daemon: inactive for {idleMs} ms");
        await ReleaseAllAsync(session).ConfigureAwait(false);
    }
}
