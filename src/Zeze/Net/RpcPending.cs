namespace Zeze.Net;

/// <summary>
/// The requests of one service that wait for a response: a map from session id, and a hashed timing wheel
/// for their timeouts. The wheel is intrusive (its links live in each request's <see cref="PendingRequest"/>,
/// which a free list reuses), so a request costs no allocation here; adding, removing and expiring are O(1)
/// under one short lock.
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
    private const int MaxFreeEntries = 1024; // beyond a burst's worth, answered entries are left to the GC

    private static long s_lastSessionId; // process-wide, as in Zeze: ids never repeat across services

    // A spin lock without owner tracking: every section under it is short (O(1) on the paths each rpc takes;
    // only a late timer run and Stop scan the map), and unlike Lock it needs no thread id, which on Linux
    // costs a thread-local lookup per entry (two per rpc).
    private SpinLock _lock = new(enableThreadOwnerTracking: false);
    private readonly Dictionary<long, PendingRequest> _bySession = new();
    private readonly PendingRequest?[] _wheel = new PendingRequest?[Slots]; // sealed element type: no covariance check per store
    private readonly Service _service;
    private readonly TimeProvider _time;
    private readonly long _tickTimestamp; // one tick in TimeProvider timestamp units
    private readonly int _tickMs;
    private long _wheelTimestamp;         // time of the current slot
    private int _current;
    private int _runs;                    // timer runs so far
    private ITimer? _timer;
    private PendingRequest? _free;        // entries of answered requests, linked by WheelNext
    private int _freeCount;

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
        get { using (Locked()) return _bySession.Count; }
    }

    public void Start()
    {
        using (Locked()) StartTimer();
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
        PendingRequest? all = null;
        using (Locked())
        {
            _timer?.Dispose();
            _timer = null;
            foreach (var entry in _bySession.Values)
            {
                Unlink(entry);
                entry.WheelNext = all;
                all = entry;
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
        long typeId = rpc.TypeId;
        long sendTimestamp = NetMetrics.RpcDuration.Enabled ? _time.GetTimestamp() : 0;
        using (Locked())
        {
            if (_timer == null) StartTimer();
            var entry = _free;
            if (entry != null)
            {
                _free = entry.WheelNext;
                _freeCount--;
            }
            else
            {
                entry = new PendingRequest();
            }
            long sid;
            do sid = _service.NextSessionId(); while (!_bySession.TryAdd(sid, entry));
            rpc.SessionId = sid;
            entry.Rpc = rpc;
            entry.SessionId = sid;
            entry.TypeId = typeId;
            entry.SendTimestamp = sendTimestamp;
            Place(entry, ticks);
            entry.AddedInRun = _runs + 1;
        }
    }

    // Puts entry in the slot visited after `ticks` (>= 1) more ticks.
    private void Place(PendingRequest entry, long ticks)
    {
        int slot = (int)((_current + ticks) % Slots);
        entry.WheelRounds = (int)((ticks - 1) / Slots); // a slot is next visited after 1..Slots ticks
        entry.WheelSlot = slot;
        entry.WheelPrev = null;
        var head = _wheel[slot];
        entry.WheelNext = head;
        if (head != null) head.WheelPrev = entry;
        _wheel[slot] = entry;
    }

    private Scope Locked()
    {
        bool taken = false;
        _lock.Enter(ref taken);
        return new Scope(ref _lock);
    }

    private readonly ref struct Scope(ref SpinLock held)
    {
        private readonly ref SpinLock _held = ref held;
        public void Dispose() => _held.Exit(useMemoryBarrier: false);
    }

    internal static long NextProcessSessionId() => Interlocked.Increment(ref s_lastSessionId);

    public bool ContainsKey(long sessionId)
    {
        using (Locked()) return _bySession.ContainsKey(sessionId);
    }

    /// <summary>Takes a request out whatever its type (it could not be sent, or a response of another type
    /// claims its session id).</summary>
    public bool TryRemove(long sessionId, out RpcBase? rpc)
    {
        using (Locked())
        {
            if (!_bySession.Remove(sessionId, out var entry))
            {
                rpc = null;
                return false;
            }
            rpc = entry.Rpc;
            Unlink(entry);
            Release(entry);
            return true;
        }
    }

    /// <summary>
    /// Takes out the request a response of type <paramref name="typeId"/> answers, and records its duration.
    /// False, leaving the map as it was, when no request waits under <paramref name="sessionId"/> or the one
    /// waiting is of another type (the caller's slower path sorts that out).
    /// </summary>
    public bool TryTakeAnswered(long sessionId, long typeId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RpcBase? rpc)
    {
        long sendTimestamp;
        using (Locked())
        {
            // One lookup in the usual case; a request of another type (an error the caller then handles) is put back.
            if (!_bySession.Remove(sessionId, out var entry))
            {
                rpc = null;
                return false;
            }
            if (entry.TypeId != typeId)
            {
                _bySession.Add(sessionId, entry);
                rpc = null;
                return false;
            }
            rpc = entry.Rpc!;
            sendTimestamp = entry.SendTimestamp;
            Unlink(entry);
            Release(entry);
        }
        if (sendTimestamp != 0) NetMetrics.RecordRpc(_service.Name, sendTimestamp, timedOut: false);
        return true;
    }

    // Under the lock, once the entry is out of the map and the wheel.
    private void Release(PendingRequest entry)
    {
        entry.Rpc = null; // the free list must not keep answered requests (and their beans) alive
        if (_freeCount >= MaxFreeEntries) return;
        entry.WheelNext = _free;
        _free = entry;
        _freeCount++;
    }

    private void Unlink(PendingRequest entry)
    {
        if (entry.WheelPrev != null) entry.WheelPrev.WheelNext = entry.WheelNext;
        else _wheel[entry.WheelSlot] = entry.WheelNext;
        if (entry.WheelNext != null) entry.WheelNext.WheelPrev = entry.WheelPrev;
        entry.WheelNext = entry.WheelPrev = null;
        entry.WheelSlot = -1;
    }

    private void Tick()
    {
        PendingRequest? expired = null;
        using (Locked())
        {
            long now = _time.GetTimestamp();
            long due = (now - _wheelTimestamp) / _tickTimestamp; // slots to advance: 1 when the timer is on time
            if (due > 1) DelayAddedSinceLastRun(due - 1);
            _runs++;
            while (now - _wheelTimestamp >= _tickTimestamp)
            {
                _wheelTimestamp += _tickTimestamp;
                _current = (_current + 1) % Slots;
                for (var entry = _wheel[_current]; entry != null;)
                {
                    var next = entry.WheelNext;
                    if (entry.WheelRounds == 0)
                    {
                        Unlink(entry);
                        _bySession.Remove(entry.SessionId);
                        entry.WheelNext = expired;
                        expired = entry;
                    }
                    else
                    {
                        entry.WheelRounds--;
                    }
                    entry = next;
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
        foreach (var entry in _bySession.Values)
        {
            if (entry.AddedInRun != _runs + 1) continue;
            int distance = (entry.WheelSlot - _current - 1 + Slots) % Slots + 1; // ticks until its slot comes round
            long remaining = distance + (long)entry.WheelRounds * Slots;
            Unlink(entry);
            Place(entry, remaining + lag);
        }
    }

    // The chain's entries are out of the map; they are not reused (expiry is the rare case), so completing
    // them outside the lock is safe.
    private void CompleteChain(PendingRequest? chain, long resultCode, bool timedOut)
    {
        while (chain != null)
        {
            var entry = chain;
            chain = entry.WheelNext;
            var rpc = entry.Rpc!;
            entry.WheelNext = null;
            entry.Rpc = null;
            NetMetrics.RecordRpc(_service.Name, entry.SendTimestamp, timedOut);
            try
            {
                rpc.Complete(resultCode, timedOut, _service);
            }
            catch (Exception e)
            {
                _service.LogTimeoutHandlerFailed(rpc, e);
            }
        }
    }
}
