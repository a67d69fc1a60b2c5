using Zeze.Serialize;

namespace Zeze.Services.GlobalCache;

/// <summary>
/// One key's ownership and its FIFO of pending requests (A5 "CacheState", A7 "our requirement"). Every field is
/// read and written under <c>lock (this)</c>, and that lock is only held for short synchronous steps, never across
/// an await. At most one request is in progress; the others wait in arrival order.
/// </summary>
internal sealed class GcmKey(Binary key)
{
    public readonly Binary Key = key;

    /// <summary>The Modify holder, or null. When set, <see cref="Share"/> is empty (I1).</summary>
    public GcmSession? Modify;

    /// <summary>The Share holders (a handful of servers at most: a list beats a set here).</summary>
    public readonly List<GcmSession> Share = new(2);

    /// <summary>The request being processed ("pending" in Zeze); null when idle.</summary>
    public GcmRequest? InProgress;

    /// <summary>Requests waiting behind <see cref="InProgress"/>, first come first served.</summary>
    public Queue<GcmRequest>? Waiting;

    /// <summary>Dropped from the key map (nobody holds it, nothing pending): never reused, a newcomer fetches again.</summary>
    public bool Removed;

    /// <summary>Contention events on this key while it was in the map (waits, deadlock answers, reduces).</summary>
    public long Contention;

    public int WaitingCount => Waiting?.Count ?? 0;

    public int StateOf(GcmSession s) =>
        ReferenceEquals(Modify, s) ? GlobalState.Modify : Share.Contains(s) ? GlobalState.Share : GlobalState.Invalid;

    public void AddSharer(GcmSession s)
    {
        if (!Share.Contains(s)) Share.Add(s);
        s.Acquired[Key] = GlobalState.Share;
    }

    public void SetModify(GcmSession s)
    {
        Share.Clear();
        Modify = s;
        s.Acquired[Key] = GlobalState.Modify;
    }

    public void RemoveHolder(GcmSession s)
    {
        if (ReferenceEquals(Modify, s)) Modify = null;
        Share.Remove(s);
        s.Acquired.TryRemove(Key, out _);
    }

    /// <summary>
    /// The upgrade deadlock of A5 for a request of <paramref name="x"/> against the request in progress: that
    /// request must reduce x, while x holds its local lock waiting for the GCM. A request of x itself in
    /// progress never reduces x, so it does not count.
    /// </summary>
    public bool IsDeadlock(GcmSession x)
    {
        var p = InProgress;
        if (p == null || ReferenceEquals(p.Session, x)) return false;
        return p.State switch
        {
            GlobalState.Share => ReferenceEquals(Modify, x),
            GlobalState.Modify => ReferenceEquals(Modify, x) || Share.Contains(x),
            _ => false,
        };
    }

    public void Enqueue(GcmRequest r) => (Waiting ??= new Queue<GcmRequest>()).Enqueue(r);

    /// <summary>Takes out every waiting acquire that now deadlocks with the request in progress (kept in order otherwise).</summary>
    public List<GcmRequest>? TakeDeadlocked()
    {
        var w = Waiting;
        if (w == null || w.Count == 0) return null;
        List<GcmRequest>? dead = null;
        for (int n = w.Count; n > 0; n--)
        {
            var r = w.Dequeue();
            if (r.IsClientAcquire && IsDeadlock(r.Session)) (dead ??= []).Add(r);
            else w.Enqueue(r);
        }
        return dead;
    }
}
