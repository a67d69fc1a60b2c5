namespace Zeze.Services.GlobalCache;

// The per-key actor (A5, A7): a request either becomes the key's request in progress and runs at once, or is
// answered at once (deadlock, noWait release), or waits its turn in the key's FIFO. The task that finishes a
// request starts the next one, so a key is driven by at most one task at a time and nobody blocks.
public sealed partial class GlobalCacheManagerServer
{
    private ValueTask<long> ProcessAcquire(Acquire rpc)
    {
        var so = rpc.Sender!;
        var arg = rpc.Argument;
        if (so.UserState is not GcmSession session || !session.IsBoundTo(so) || InQuarantine)
        {
            Answer(rpc, arg.State, GlobalState.Invalid, GlobalResultCode.AcquireNotLogin);
            return ValueTask.FromResult(0L);
        }
        session.Touch(Now);
        if (arg.State is not (GlobalState.Invalid or GlobalState.Share or GlobalState.Modify))
        {
            Answer(rpc, arg.State, GlobalState.Invalid, GlobalResultCode.AcquireErrorState);
            return ValueTask.FromResult(0L);
        }
        Submit(new GcmRequest(session, arg.State, arg.Fresh, rpc), arg.GlobalKey);
        return ValueTask.FromResult(0L);
    }

    /// <summary>Hands a request to its key: runs it now, answers it now, or queues it.</summary>
    private void Submit(GcmRequest req, Serialize.Binary globalKey)
    {
        while (true)
        {
            var k = _keys.GetOrAdd(globalKey, static key => new GcmKey(key));
            GcmRequest? deadlocked = null;
            int answeredState = -1;
            long contention = 0;
            lock (k)
            {
                if (k.Removed) continue; // it left the map after we fetched it: fetch the new one
                if (k.InProgress == null)
                {
                    k.InProgress = req;
                }
                else if (req.Rpc != null && req.State == GlobalState.Invalid)
                {
                    // A server's release (cache eviction) does not wait behind a Share/Modify request that may
                    // need this very server to reduce: answer now, apply in turn (the key stays in order).
                    answeredState = k.StateOf(req.Session);
                    req.Answered = true;
                    req.EnqueuedAt = Now;
                    k.Enqueue(req);
                }
                else if (req.Rpc != null && k.IsDeadlock(req.Session))
                {
                    deadlocked = req;
                    contention = ++k.Contention;
                }
                else
                {
                    req.EnqueuedAt = Now;
                    k.Enqueue(req);
                    contention = ++k.Contention;
                }
            }
            if (answeredState >= 0)
            {
                Answer(req.Rpc!, GlobalState.Invalid, answeredState, GlobalResultCode.Success);
                return;
            }
            if (contention > 0)
            {
                _hotKeys.Offer(k.Key, contention);
                if (deadlocked != null) AnswerDeadlock(deadlocked);
                else _metrics.QueueWait();
                return;
            }
            _ = DriveAsync(k, req);
            return;
        }
    }

    /// <summary>Runs the key's requests one after another, starting with <paramref name="first"/>.</summary>
    private async Task DriveAsync(GcmKey k, GcmRequest first)
    {
        var req = first;
        while (req != null)
        {
            try
            {
                var pending = ProcessAsync(k, req);
                if (!pending.IsCompletedSuccessfully) await pending.ConfigureAwait(false);
            }
            catch (Exception e)
            {
                GcmLog.AcquireException(_logger, GlobalKeyText.Format(k.Key.Span), req.Session.ServerId, e);
                Complete(req, GlobalState.Invalid, GlobalResultCode.AcquireException);
            }
            req = TakeNext(k);
        }
    }

    private GcmRequest? TakeNext(GcmKey k)
    {
        GcmRequest? next;
        lock (k)
        {
            if (k.Waiting is { Count: > 0 } w)
            {
                next = w.Dequeue();
                k.InProgress = next;
            }
            else
            {
                next = null;
                k.InProgress = null;
                if (k.Modify == null && k.Share.Count == 0)
                {
                    k.Removed = true;
                    _keys.TryRemove(new KeyValuePair<Serialize.Binary, GcmKey>(k.Key, k));
                }
            }
        }
        if (next != null && next.EnqueuedAt != 0)
            _metrics.QueueWaitEnded(TimeProvider.GetElapsedTime(next.EnqueuedAt).TotalMilliseconds);
        return next;
    }

    private ValueTask ProcessAsync(GcmKey k, GcmRequest req) => req.State switch
    {
        GlobalState.Share => AcquireShare(k, req),
        GlobalState.Modify => AcquireModify(k, req),
        _ => Release(k, req),
    };

    private ValueTask Release(GcmKey k, GcmRequest req)
    {
        lock (k) k.RemoveHolder(req.Session);
        Complete(req, GlobalState.Invalid, GlobalResultCode.Success);
        return ValueTask.CompletedTask;
    }

    private ValueTask AcquireShare(GcmKey k, GcmRequest req)
    {
        var x = req.Session;
        int state = GlobalState.Invalid, code = -1;
        GcmSession? holder = null;
        List<GcmRequest>? deadlocked = null;
        long contention = 0;
        lock (k)
        {
            if (ReferenceEquals(k.Modify, x))
            {
                x.Acquired[k.Key] = GlobalState.Modify;
                (state, code) = (GlobalState.Modify, GlobalResultCode.AcquireShareAlreadyIsModify);
            }
            else if (k.Modify == null)
            {
                k.AddSharer(x);
                (state, code) = (GlobalState.Share, GlobalResultCode.Success);
            }
            else
            {
                holder = k.Modify;
                deadlocked = k.TakeDeadlocked();
                contention = ++k.Contention;
            }
        }
        if (holder == null)
        {
            Complete(req, state, code);
            return ValueTask.CompletedTask;
        }
        _hotKeys.Offer(k.Key, contention);
        AnswerDeadlocks(deadlocked);
        return ReduceForShareAsync(k, req, holder);
    }

    private async ValueTask ReduceForShareAsync(GcmKey k, GcmRequest req, GcmSession holder)
    {
        var outcome = await ReduceAsync(holder, k.Key, req.Fresh).ConfigureAwait(false);
        int state;
        int code;
        lock (k)
        {
            switch (outcome)
            {
                case ReduceOutcome.Invalid:
                    k.RemoveHolder(holder);
                    k.AddSharer(req.Session);
                    (state, code) = (GlobalState.Share, GlobalResultCode.Success);
                    break;
                case ReduceOutcome.Share:
                    k.Modify = null;
                    k.AddSharer(holder);
                    k.AddSharer(req.Session);
                    (state, code) = (GlobalState.Share, GlobalResultCode.Success);
                    break;
                case ReduceOutcome.Fresh:
                    (state, code) = (GlobalState.Invalid, GlobalResultCode.ReduceErrorFreshAcquire);
                    break;
                default:
                    (state, code) = (GlobalState.Invalid, GlobalResultCode.AcquireShareFailed);
                    break;
            }
        }
        Complete(req, state, code);
    }

    private ValueTask AcquireModify(GcmKey k, GcmRequest req)
    {
        var x = req.Session;
        int state = GlobalState.Invalid, code = -1;
        GcmSession? holder = null;
        List<GcmSession>? sharers = null;
        List<GcmRequest>? deadlocked = null;
        long contention = 0;
        lock (k)
        {
            if (ReferenceEquals(k.Modify, x))
            {
                x.Acquired[k.Key] = GlobalState.Modify;
                (state, code) = (GlobalState.Modify, GlobalResultCode.AcquireModifyAlreadyIsModify);
            }
            else if (k.Modify != null)
            {
                holder = k.Modify;
            }
            else
            {
                foreach (var s in k.Share)
                    if (!ReferenceEquals(s, x)) (sharers ??= []).Add(s);
                if (sharers == null)
                {
                    k.SetModify(x);
                    (state, code) = (GlobalState.Modify, GlobalResultCode.Success);
                }
            }
            if (code < 0)
            {
                deadlocked = k.TakeDeadlocked();
                contention = ++k.Contention;
            }
        }
        if (code >= 0)
        {
            Complete(req, state, code);
            return ValueTask.CompletedTask;
        }
        _hotKeys.Offer(k.Key, contention);
        AnswerDeadlocks(deadlocked);
        return holder != null ? ReduceModifyHolderAsync(k, req, holder) : ReduceSharersAsync(k, req, sharers!);
    }

    private async ValueTask ReduceModifyHolderAsync(GcmKey k, GcmRequest req, GcmSession holder)
    {
        var outcome = await ReduceAsync(holder, k.Key, req.Fresh).ConfigureAwait(false);
        int state = GlobalState.Invalid;
        int code;
        lock (k)
        {
            switch (outcome)
            {
                case ReduceOutcome.Invalid:
                    k.RemoveHolder(holder);
                    k.SetModify(req.Session);
                    (state, code) = (GlobalState.Modify, GlobalResultCode.Success);
                    break;
                case ReduceOutcome.Share:
                    // Asked for Invalid, answered Share: record the truth; the requester tries again.
                    k.Modify = null;
                    k.AddSharer(holder);
                    code = GlobalResultCode.AcquireModifyFailed;
                    break;
                case ReduceOutcome.Fresh:
                    code = GlobalResultCode.ReduceErrorFreshAcquire;
                    break;
                default:
                    code = GlobalResultCode.AcquireModifyFailed;
                    break;
            }
        }
        Complete(req, state, code);
    }

    private async ValueTask ReduceSharersAsync(GcmKey k, GcmRequest req, List<GcmSession> sharers)
    {
        // In parallel; stop issuing at the first send failure, but wait for those already sent (A5).
        var sent = new List<(GcmSession Session, ValueTask<ReduceOutcome> Outcome)>(sharers.Count);
        foreach (var s in sharers)
        {
            var pending = ReduceAsync(s, k.Key, req.Fresh);
            sent.Add((s, pending));
            if (pending.IsCompletedSuccessfully && pending.Result == ReduceOutcome.SendFailed) break;
        }
        var outcomes = new ReduceOutcome[sent.Count];
        for (int i = 0; i < sent.Count; i++) outcomes[i] = await sent[i].Outcome.ConfigureAwait(false);

        var x = req.Session;
        int state = GlobalState.Invalid;
        int code;
        lock (k)
        {
            bool anyFresh = false;
            for (int i = 0; i < sent.Count; i++)
            {
                if (outcomes[i] == ReduceOutcome.Invalid) k.RemoveHolder(sent[i].Session);
                else if (outcomes[i] == ReduceOutcome.Fresh) anyFresh = true;
            }
            bool othersLeft = false;
            foreach (var s in k.Share)
                if (!ReferenceEquals(s, x)) othersLeft = true;
            if (!othersLeft && k.Modify == null)
            {
                k.SetModify(x);
                (state, code) = (GlobalState.Modify, GlobalResultCode.Success);
            }
            else
            {
                code = anyFresh ? GlobalResultCode.ReduceErrorFreshAcquire : GlobalResultCode.AcquireModifyFailed;
            }
        }
        Complete(req, state, code);
    }

    private void AnswerDeadlocks(List<GcmRequest>? deadlocked)
    {
        if (deadlocked == null) return;
        foreach (var r in deadlocked) AnswerDeadlock(r);
    }

    private void AnswerDeadlock(GcmRequest r)
    {
        Interlocked.Increment(ref _metrics.DeadlocksAnswered);
        Complete(r, GlobalState.Invalid, r.State == GlobalState.Share
            ? GlobalResultCode.AcquireShareDeadLockFound : GlobalResultCode.AcquireModifyDeadLockFound);
    }

    /// <summary>Tests: called with (server id, requested state, granted state, code) as each request is answered, in order.</summary>
    internal Action<int, int, int, int>? AnswerObserver { get; set; }

    /// <summary>Answers a request (rpc result, or the completion of a release the GCM decided itself).</summary>
    private void Complete(GcmRequest req, int state, int code)
    {
        if (Zeze.Diagnostics.CoherenceTrace.Enabled && req.Rpc != null) Zeze.Diagnostics.CoherenceTrace.Add(req.Session.ServerId, req.Rpc.Argument.GlobalKey.Span, Zeze.Diagnostics.CoherenceTrace.Kind.GcmAnswer, req.State, code, state);
        AnswerObserver?.Invoke(req.Session.ServerId, req.State, state, code);
        if (req.Rpc != null)
        {
            if (req.Answered) return;
            req.Answered = true;
            Answer(req.Rpc, req.State, state, code);
        }
        else
        {
            req.Done!.TrySetResult();
        }
    }

    private void Answer(Acquire rpc, int requestedState, int state, int code)
    {
        _metrics.Acquire(requestedState, code);
        var result = rpc.Argument; // reuse: same key, new state
        result.State = state;
        result.Fresh = false;
        rpc.Result = result;
        rpc.ResultCode = code;
        rpc.SendResult();
    }
}
