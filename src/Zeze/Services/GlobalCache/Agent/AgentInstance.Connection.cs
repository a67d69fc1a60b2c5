using Zeze.Net;

namespace Zeze.Services.GlobalCache;

// Connection and login (A9): connect, Login on the first handshake of this process, ReLogin afterwards. A refused
// ReLogin means the GCM lost this session (restart, kick): stop, release locally, and only then log in afresh.
internal sealed partial class AgentInstance
{
    private enum LoginOutcome { LoggedIn, Failed, MustRelease }

    private int _everLoggedIn; // 1 after a successful Login, until a local release ends: the next login is a ReLogin

    public bool EverLoggedIn => Volatile.Read(ref _everLoggedIn) != 0;

    private int _boundElsewhere; // consecutive Logins refused with 120 (touched by the connection loop only)

    private readonly TaskCompletionSource<long> _loginRefused = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes with the code when the GCM refuses a Login for a reason that retrying does not cure while it lasts
    /// (120: a live server already uses this server id), so that a start fails at once, saying why.
    /// </summary>
    public Task<long> LoginRefused => _loginRefused.Task;

    private async Task RunAsync(CancellationToken stop)
    {
        bool failed = false;
        while (!stop.IsCancellationRequested)
        {
            if (failed && !await DelayAsync(Timing.ReconnectTimer, stop).ConfigureAwait(false)) return;
            failed = true;
            AsyncSocket so;
            try
            {
                so = await _agent.Service.ConnectAsync(Host, Port, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                AgentLog.ConnectFailed(Logger, ServerId, Index, EndPoint, e.Message);
                continue;
            }
            so.UserState = this;
            // A local release in progress must end before logging in (it decides Login vs ReLogin).
            var release = _release;
            if (release != null)
            {
                try
                {
                    await release.WaitAsync(stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    so.Close("agent stopped");
                    return;
                }
            }
            var outcome = await LoginAsync(so).ConfigureAwait(false);
            if (outcome != LoginOutcome.LoggedIn)
            {
                so.Close("login failed");
                if (outcome == LoginOutcome.MustRelease)
                {
                    try
                    {
                        await StartLocalRelease("the GCM refused ReLogin (it restarted or dropped this session)").WaitAsync(stop).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    failed = false;
                }
                continue;
            }
            SetReady(so);
            try
            {
                await so.Closed.WaitAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                ClearReady(so);
                return;
            }
            ClearReady(so);
            if (!stop.IsCancellationRequested) AgentLog.ConnectionLost(Logger, ServerId, Index, so.CloseReason ?? "closed");
            // Reconnect at once (a brief cut should cost little), but never spin on a peer that closes at once.
            failed = false;
            if (!await DelayAsync(Math.Min(50, Timing.ReconnectTimer), stop).ConfigureAwait(false)) return;
        }
    }

    private async Task<LoginOutcome> LoginAsync(AsyncSocket so)
    {
        var param = new LoginParam { ServerId = ServerId, GlobalCacheManagerHashIndex = Index, DebugMode = _agent.Options.DebugMode };
        if (!EverLoggedIn)
        {
            var login = new Login { Argument = param };
            long rc = await login.SendAsync(so, Timing.LoginTimeout).ConfigureAwait(false);
            _agent.Metrics.Login("login", rc);
            if (rc != 0)
            {
                AgentLog.LoginRefused(Logger, ServerId, Index, EndPoint, GlobalResultCodeNames.NameOf(rc));
                // Three in a row: the first may race the GCM noticing that this id's previous (killed) process is gone.
                if (rc == GlobalResultCode.LoginBindSocketFail && ++_boundElsewhere >= 3) _loginRefused.TrySetResult(rc);
                return LoginOutcome.Failed;
            }
            var timing = AchillesHeelTiming.From(login.Result);
            var errors = timing.Validate();
            if (errors.Count > 0)
            {
                AgentLog.BadTiming(Logger, ServerId, Index, string.Join(" ", errors));
                return LoginOutcome.Failed;
            }
            Volatile.Write(ref _timing, timing);
            var period = TimeSpan.FromMilliseconds(timing.AgentDaemonPeriod);
            _daemon?.Change(period, period);
            Volatile.Write(ref _everLoggedIn, 1);
            _boundElsewhere = 0;
            Touch();
            Interlocked.Increment(ref Logins);
            AgentLog.LoggedIn(Logger, ServerId, Index, EndPoint, timing.ToString());
            return LoginOutcome.LoggedIn;
        }
        var relogin = new ReLogin { Argument = param };
        long code = await relogin.SendAsync(so, Timing.LoginTimeout).ConfigureAwait(false);
        _agent.Metrics.Login("relogin", code);
        if (code == 0)
        {
            Touch();
            Interlocked.Increment(ref ReLogins);
            AgentLog.ReLoggedIn(Logger, ServerId, Index, EndPoint);
            return LoginOutcome.LoggedIn;
        }
        if (code is ResultCode.Timeout or ResultCode.ErrorSendFail or ResultCode.Closed) return LoginOutcome.Failed;
        AgentLog.ReLoginRefused(Logger, ServerId, Index, EndPoint, GlobalResultCodeNames.NameOf(code));
        return LoginOutcome.MustRelease;
    }

    private async Task<bool> DelayAsync(int ms, CancellationToken stop)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(ms), Time, stop).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
