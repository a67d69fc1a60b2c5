namespace Zeze.Net;

/// <summary>
/// The requests of one service that wait for a response: a map from session id, and a hashed timing wheel
/// for their timeouts. Both are intrusive (the links live in <see cref="RpcBase"/>), so a request costs no
/// allocation here; adding, removing and expiring are O(1) under one short lock.
/// </summary>
/// <remarks>
/// Adding reads no clock (a clock read per request was a measurable part of an rpc's cost): a request is
/// placed from the wheel's position, which the timer advances once per tick. The timer may run late (a
/// starved thread pool); then the requests added since its previous run were placed from a position that
/// was behind the clock, and the late run moves them later by its lag, so a timeout never fires early (those
/// requests may then fire up to that lag late: the run cannot tell when during the delay each was added).
/// </remarks>
internal sealed class RpcPending
{
    private const int Slots = 512;

    private static long s_lastSessionId; // process-wide, as in Zeze: ids never repeat across services

    private readonly Lock _lock = new();
    private readonly Dictionary<long, RpcBase> _bySession = new();
    private readonly RpcBase?[] _wheel = new RpcBase?[Slots];
    private readonly Service _service;
    private readonly TimeProvider _time;
    private readonly long _tickTimestamp; // one tick in TimeProvider timestamp units
    private readonly int _tickMs;
    private long _wheelTimestamp;         // time of the current slot
    private int _current;
    private int _runs;                    // timer runs so far
    private ITimer? _timer;

    public RpcPending(Service service, TimeProvider time, int tickMs)
    {
        _service = service;
        _time = time;
        _tickMs = tickMs;
        _tickTimestamp = Math.Max(1, time.TimestampFrequency * tickMs / 1000);
        _wheelTimestamp = time.GetTimestamp();
    }

    public int Count
    {
        get { lock (_lock) return _bySession.Count; }
    }

    public void Start()
    {
        lock (_lock) StartTimer();
    }

    // Also started by the first request, so that timeouts work on a service used without StartAsync.
    private void StartTimer()
    {
        if (_timer != null) return;
        _wheelTimestamp = _time.GetTimestamp();
        _timer = _time.CreateTimer(static s => ((RpcPending)s!).Tick(), this, TimeSpan.FromMilliseconds(_tickMs), TimeSpan.FromMilliseconds(_tickMs));
    }

    /// <summary>Stops the timer and completes every waiting request with <paramref name="resultCode"/>
    /// (no response can arrive once the service stopped, and no timeout would fire any more).</summary>
    public void Stop(long resultCode)
    {
        RpcBase? all = null;
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
            foreach (var rpc in _bySession.Values)
            {
                Unlink(rpc);
                rpc.ChainNext = all;
                all = rpc;
            }
            _bySession.Clear();
        }
        CompleteChain(all, resultCode, timedOut: false);
    }

    /// <summary>Gives <paramref name="rpc"/> a new session id and starts its timeout.</summary>
    public void Add(RpcBase rpc, int timeoutMs)
    {
        // Two ticks more than the timeout needs: the current slot started up to a tick before the timer's
        // last run, which was up to a tick ago. A timeout fires at most three ticks late.
        long ticks = (timeoutMs + _tickMs - 1) / _tickMs + 2;
        lock (_lock)
        {
            if (_timer == null) StartTimer();
            long sid;
            do sid = _service.NextSessionId(); while (!_bySession.TryAdd(sid, rpc));
            rpc.SessionId = sid;
            rpc.PendingIn = _service;
            Place(rpc, ticks);
            rpc.AddedInRun = _runs + 1;
        }
    }

    // Puts rpc in the slot visited after `ticks` (>= 1) more ticks.
    private void Place(RpcBase rpc, long ticks)
    {
        int slot = (int)((_current + ticks) % Slots);
        rpc.WheelRounds = (int)((ticks - 1) / Slots); // a slot is next visited after 1..Slots ticks
        rpc.WheelSlot = slot;
        rpc.WheelPrev = null;
        rpc.WheelNext = _wheel[slot];
        if (rpc.WheelNext != null) rpc.WheelNext.WheelPrev = rpc;
        _wheel[slot] = rpc;
    }

    internal static long NextProcessSessionId() => Interlocked.Increment(ref s_lastSessionId);

    public bool ContainsKey(long sessionId)
    {
        lock (_lock) return _bySession.ContainsKey(sessionId);
    }

    /// <summary>Takes a request out (its response arrived, or it could not be sent).</summary>
    public bool TryRemove(long sessionId, out RpcBase? rpc)
    {
        lock (_lock)
        {
            if (!_bySession.Remove(sessionId, out rpc)) return false;
            Unlink(rpc);
            return true;
        }
    }

    private void Unlink(RpcBase rpc)
    {
        if (rpc.WheelPrev != null) rpc.WheelPrev.WheelNext = rpc.WheelNext;
        else _wheel[rpc.WheelSlot] = rpc.WheelNext;
        if (rpc.WheelNext != null) rpc.WheelNext.WheelPrev = rpc.WheelPrev;
        rpc.WheelNext = rpc.WheelPrev = null;
        rpc.WheelSlot = -1;
    }

    private void Tick()
    {
        RpcBase? expired = null;
        lock (_lock)
        {
            long now = _time.GetTimestamp();
            long due = (now - _wheelTimestamp) / _tickTimestamp; // slots to advance: 1 when the timer is on time
            if (due > 1) DelayAddedSinceLastRun(due - 1);
            _runs++;
            while (now - _wheelTimestamp >= _tickTimestamp)
            {
                _wheelTimestamp += _tickTimestamp;
                _current = (_current + 1) % Slots;
                for (var rpc = _wheel[_current]; rpc != null;)
                {
                    var next = rpc.WheelNext;
                    if (rpc.WheelRounds == 0)
                    {
                        Unlink(rpc);
                        _bySession.Remove(rpc.SessionId);
                        rpc.ChainNext = expired;
                        expired = rpc;
                    }
                    else
                    {
                        rpc.WheelRounds--;
                    }
                    rpc = next;
                }
            }
        }
        // Complete outside the lock: continuations run inline and may send new requests.
        CompleteChain(expired, Zeze.ResultCode.Timeout, timedOut: true);
    }

    // This run is `lag` ticks late: the requests added since the previous run were placed up to `lag` ticks
    // too early (from a wheel position that was behind the clock), so they move that much later. A scan of
    // all waiting requests, but only when the timer was late; a list of the requests added since the last
    // run would cost nothing to scan but would keep every answered request alive until the next run (at a
    // million rpcs a second, 20,000 of them and their beans, promoted by the GC).
    private void DelayAddedSinceLastRun(long lag)
    {
        foreach (var rpc in _bySession.Values)
        {
            if (rpc.AddedInRun != _runs + 1) continue;
            int distance = (rpc.WheelSlot - _current - 1 + Slots) % Slots + 1; // ticks until its slot comes round
            long remaining = distance + (long)rpc.WheelRounds * Slots;
            Unlink(rpc);
            Place(rpc, remaining + lag);
        }
    }

    private void CompleteChain(RpcBase? chain, long resultCode, bool timedOut)
    {
        while (chain != null)
        {
            var rpc = chain;
            chain = rpc.ChainNext;
            rpc.ChainNext = null;
            try
            {
                rpc.Complete(resultCode, timedOut);
            }
            catch (Exception e)
            {
                _service.LogTimeoutHandlerFailed(rpc, e);
            }
        }
    }
}
