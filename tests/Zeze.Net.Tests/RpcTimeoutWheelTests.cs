namespace Zeze.Net.Tests;

/// <summary>
/// The timeout wheel on a clock and a timer the test drives: requests are placed without reading the clock,
/// so a timer that runs late must move the requests added meanwhile, or they would time out early.
/// </summary>
public class RpcTimeoutWheelTests
{
    private const int TickMs = 20;

    /// <summary>A clock that moves only when told, and timers that run only when fired.</summary>
    private sealed class ManualTime : TimeProvider
    {
        private long _now;
        public readonly List<ManualTimer> Timers = new();

        public override long TimestampFrequency => 1000; // milliseconds
        public override long GetTimestamp() => _now;
        public void Advance(int ms) => _now += ms;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = new ManualTimer(callback, state);
            Timers.Add(timer);
            return timer;
        }

        /// <summary>Runs every timer once, as a timer that fires now (however late) does.</summary>
        public void Fire()
        {
            foreach (var t in Timers.ToList()) t.Fire();
        }
    }

    private sealed class ManualTimer(TimerCallback callback, object? state) : ITimer
    {
        private bool _disposed;
        public void Fire() { if (!_disposed) callback(state); }
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;
        public void Dispose() => _disposed = true;
        public ValueTask DisposeAsync() { _disposed = true; return ValueTask.CompletedTask; }
    }

    private static (Service Service, ManualTime Time) NewService()
    {
        var time = new ManualTime();
        var service = new Service("wheel", new ServiceOptions { KeepCheckPeriod = 0, RpcTimerTickMs = TickMs }, timeProvider: time);
        return (service, time);
    }

    // Advances the clock tick by tick, firing the timer on time, until the request times out; returns the
    // milliseconds that passed.
    private static int RunUntilTimedOut(ManualTime time, RpcBase rpc, int limitMs = 10_000)
    {
        int elapsed = 0;
        while (!rpc.IsTimeout)
        {
            Assert.True(elapsed < limitMs, "the request never timed out");
            time.Advance(TickMs);
            elapsed += TickMs;
            time.Fire();
        }
        return elapsed;
    }

    [Theory]
    [InlineData(100)]
    [InlineData(110)]
    [InlineData(5000)]
    [InlineData(20_000)] // beyond one turn of the wheel
    public void OnTimeATimeoutFiresNotEarlyAndAtMostThreeTicksLate(int timeoutMs)
    {
        var (service, time) = NewService();
        for (int phase = 0; phase < TickMs; phase += 7)
        {
            time.Advance(7); // requests are added at every point of a tick
            var rpc = new EchoRpc();
            service.Pending.Add(rpc, timeoutMs);
            int elapsed = RunUntilTimedOut(time, rpc, timeoutMs + 10 * TickMs);
            Assert.InRange(elapsed, timeoutMs, timeoutMs + 3 * TickMs);
            Assert.Equal(ResultCode.Timeout, rpc.ResultCode);
        }
        Assert.Equal(0, service.PendingRpcCount);
    }

    [Fact]
    public void ALateTimerDoesNotMakeTheRequestsAddedMeanwhileTimeOutEarly()
    {
        var (service, time) = NewService();
        var before = new EchoRpc();
        service.Pending.Add(before, 100); // starts the timer; the wheel is at the clock
        time.Fire();

        // The timer stalls for 30 ticks while the clock runs; a request is added near the end of the stall.
        time.Advance(29 * TickMs);
        var during = new EchoRpc();
        service.Pending.Add(during, 100);
        time.Advance(TickMs);
        time.Fire(); // one late run catches up 30 slots

        Assert.True(before.IsTimeout); // long overdue: fires at the late run
        Assert.False(during.IsTimeout); // added 20 ms ago with a 100 ms timeout

        int elapsed = TickMs + RunUntilTimedOut(time, during); // measured from when it was added
        Assert.InRange(elapsed, 100, 100 + 3 * TickMs);
    }

    [Fact]
    public void ALateRunMovesEachRequestAddedMeanwhileOnceAndLeavesAnsweredOnesAlone()
    {
        var (service, time) = NewService();
        var answered = new EchoRpc();
        var resent = new EchoRpc();
        var waiting = new EchoRpc();
        service.Pending.Add(answered, 100);
        service.Pending.Add(resent, 100);
        service.Pending.Add(waiting, 100);
        Assert.True(service.Pending.TryRemove(answered.SessionId, out _));
        Assert.True(service.Pending.TryRemove(resent.SessionId, out _));
        service.Pending.Add(resent, 1000); // sent again before the timer ran: it must be moved once, not twice
        time.Advance(10 * TickMs);
        time.Fire(); // late by 9 ticks: what was added since the start moves 9 ticks later

        Assert.False(waiting.IsTimeout);
        Assert.False(answered.IsTimeout);
        Assert.Equal(2, service.PendingRpcCount);
        // Never early; late by at most three ticks plus the timer's own delay.
        long waitingAt = 10 * TickMs + RunUntilTimedOut(time, waiting);
        Assert.InRange(waitingAt, 100, 100 + 3 * TickMs + 9 * TickMs);
        long resentAt = waitingAt + RunUntilTimedOut(time, resent);
        Assert.InRange(resentAt, 1000, 1000 + 3 * TickMs + 9 * TickMs);
        Assert.False(answered.IsTimeout); // taken out before the late run: never touched
        Assert.Equal(0, service.PendingRpcCount);
    }

    [Fact]
    public void AnAnsweredRequestIsNotKeptAliveUntilTheNextTimerRun()
    {
        // At a million rpcs a second, holding answered requests for a tick would keep tens of thousands of
        // them (and their beans) alive across collections.
        var (service, _) = NewService();
        var answered = AddAndAnswer(service);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(answered.TryGetTarget(out _), "the answered request is still referenced");
        Assert.Equal(0, service.PendingRpcCount);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference<EchoRpc> AddAndAnswer(Service service)
    {
        var rpc = new EchoRpc();
        service.Pending.Add(rpc, 1000);
        Assert.True(service.Pending.TryRemove(rpc.SessionId, out _));
        return new WeakReference<EchoRpc>(rpc);
    }
}
