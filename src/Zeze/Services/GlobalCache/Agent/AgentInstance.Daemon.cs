using Zeze.Net;

namespace Zeze.Services.GlobalCache;

// The agent side of AchillesHeel (A11): keep-alive when idle; when the GCM has been silent for longer than
// ServerDaemonTimeout, give every key of this instance up locally (invalidate and flush, through the core); a
// release that outlives ServerReleaseTimeout stops the process, because the GCM will hand the keys to others at
// GlobalDaemonTimeout whether or not our dirty data reached the database.
internal sealed partial class AgentInstance
{
    public const int HaltReleaseTimeout = 123123;
    public const int HaltDaemonFailure = 321321;

    private Task? _release;
    private long _releaseStart;
    private int _keepAliveInFlight;
    private int _halted;

    public bool IsReleasing => Volatile.Read(ref _release) != null;

    public bool IsHalted => Volatile.Read(ref _halted) != 0;

    private void OnDaemonTick()
    {
        try
        {
            CheckDaemon();
        }
        catch (Exception e)
        {
            Halt(HaltDaemonFailure, "the global cache daemon failed: " + e);
        }
    }

    /// <summary>One daemon pass (public through the agent for tests).</summary>
    public void CheckDaemon()
    {
        if (IsHalted || IsStopped) return;
        var t = Timing;
        if (Volatile.Read(ref _release) != null)
        {
            long releasing = (long)Time.GetElapsedTime(Volatile.Read(ref _releaseStart)).TotalMilliseconds;
            if (releasing > t.ServerReleaseTimeout)
                Halt(HaltReleaseTimeout, $"the local release of GCM {Index} has run {releasing} ms, longer than ServerReleaseTimeout ({t.ServerReleaseTimeout} ms)");
            return;
        }
        long idle = IdleMs;
        var so = ReadySocket;
        if (so != null && idle > t.ServerKeepAliveIdleTimeout && Interlocked.Exchange(ref _keepAliveInFlight, 1) == 0)
            _ = KeepAliveAsync(so, t);
        if (!_agent.Options.DebugMode && EverLoggedIn && idle > t.ServerDaemonTimeout)
            StartLocalRelease($"no answer from the GCM for {idle} ms (ServerDaemonTimeout {t.ServerDaemonTimeout} ms)");
    }

    private async Task KeepAliveAsync(AsyncSocket so, AchillesHeelTiming t)
    {
        try
        {
            var rpc = new GlobalKeepAlive();
            long rc = await rpc.SendAsync(so, t.KeepAliveTimeout).ConfigureAwait(false);
            if (rc == 0) Touch();
            else if (rc == ResultCode.Timeout) so.Close($"keep-alive: no answer from the GCM within {t.KeepAliveTimeout} ms");
            else if (rc == GlobalResultCode.AcquireNotLogin) so.Close("keep-alive: the GCM no longer knows this session");
        }
        finally
        {
            Volatile.Write(ref _keepAliveInFlight, 0);
        }
    }

    /// <summary>Starts (or joins) the local release of this instance's keys.</summary>
    public Task StartLocalRelease(string reason)
    {
        lock (_lock)
        {
            if (_release != null) return _release;
            Volatile.Write(ref _releaseStart, Time.GetTimestamp());
            Interlocked.Increment(ref LocalReleases);
            _agent.Metrics.LocalRelease(Index);
            AgentLog.LocalReleaseStarted(Logger, ServerId, Index, reason);
            var task = Task.Run(RunLocalReleaseAsync);
            Volatile.Write(ref _release, task);
            return task;
        }
    }

    private async Task RunLocalReleaseAsync()
    {
        while (!IsHalted && !IsStopped)
        {
            try
            {
                await _agent.Handler.LocalReleaseAsync(Index, _stop.Token).ConfigureAwait(false);
                break;
            }
            catch (OperationCanceledException) when (IsStopped)
            {
                break;
            }
            catch (Exception e)
            {
                // The data must reach the database before the GCM gives the keys away: retry until done, or until
                // the daemon halts the process at ServerReleaseTimeout.
                AgentLog.LocalReleaseFailed(Logger, ServerId, Index, e);
                if (!await DelayAsync(Math.Max(10, Timing.ReconnectTimer / 4), _stop.Token).ConfigureAwait(false)) break;
            }
        }
        long ms = (long)Time.GetElapsedTime(Volatile.Read(ref _releaseStart)).TotalMilliseconds;
        AsyncSocket? so;
        lock (_lock)
        {
            // Our cache holds nothing of this instance now: the next connection logs in afresh (the GCM then
            // releases whatever it still records for us), and the activity clock restarts.
            Volatile.Write(ref _everLoggedIn, 0);
            Touch();
            Volatile.Write(ref _release, null);
            so = _ready;
        }
        so?.Close("local release done: logging in afresh");
        if (!IsHalted) AgentLog.LocalReleaseDone(Logger, ServerId, Index, ms);
    }

    private void Halt(int code, string reason)
    {
        if (Interlocked.Exchange(ref _halted, 1) != 0) return;
        AgentLog.Halting(Logger, ServerId, code, reason);
        _agent.InvokeHalt(code, reason);
    }
}
