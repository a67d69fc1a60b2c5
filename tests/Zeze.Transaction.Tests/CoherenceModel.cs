using System.Collections.Concurrent;
using Zeze.Services.GlobalCache;

namespace Zeze.Transaction.Tests;

/// <summary>
/// A small in-process model of the global cache manager (the grant and reduce rules of global-and-raft.md A5) for
/// several applications in one process. Requests for one key are served one at a time; a request that cannot get
/// its turn quickly is answered as an upgrade deadlock, so the requester releases its locks and retries — which is
/// what lets a reduce that waits for those locks finish.
/// </summary>
internal sealed class CoherenceModel
{
    private sealed class KeyState
    {
        public int Modify = -1;
        public readonly HashSet<int> Share = [];
        public readonly SemaphoreSlim Turn = new(1, 1);
    }

    private readonly ConcurrentDictionary<string, KeyState> _keys = new();
    private readonly ConcurrentDictionary<int, IGlobalCacheHandler> _servers = new();
    public long Reduces;
    public long Refusals;

    public IGlobalCacheAgent Join(int serverId, IGlobalCacheHandler handler)
    {
        _servers[serverId] = handler;
        return new Agent(this, serverId);
    }

    /// <summary>Invariant C1: at most one server in Modify, and then no sharer.</summary>
    public void AssertCoherent()
    {
        foreach (var (key, s) in _keys)
        {
            lock (s)
            {
                if (s.Modify != -1) Assert.True(s.Share.Count == 0, $"key {key}: Modify by {s.Modify} with sharers");
            }
        }
    }

    private async ValueTask<AcquireResult> AcquireAsync(int server, ReadOnlyMemory<byte> globalKey, int state, bool fresh)
    {
        var key = _keys.GetOrAdd(Convert.ToHexString(globalKey.Span), _ => new KeyState());
        if (!await key.Turn.WaitAsync(TimeSpan.FromMilliseconds(50)))
        {
            Interlocked.Increment(ref Refusals);
            return new AcquireResult(GlobalState.Invalid, state == GlobalState.Share ? GlobalResultCode.AcquireShareDeadLockFound : GlobalResultCode.AcquireModifyDeadLockFound);
        }
        try
        {
            if (state == GlobalState.Invalid)
            {
                lock (key)
                {
                    if (key.Modify == server) key.Modify = -1;
                    key.Share.Remove(server);
                }
                return new AcquireResult(GlobalState.Invalid, 0);
            }
            int[] holders;
            lock (key)
            {
                if (key.Modify == server)
                    return new AcquireResult(GlobalState.Modify, state == GlobalState.Share ? GlobalResultCode.AcquireShareAlreadyIsModify : GlobalResultCode.AcquireModifyAlreadyIsModify);
                holders = state == GlobalState.Share
                    ? (key.Modify == -1 ? [] : [key.Modify])
                    : (key.Modify != -1 ? [key.Modify] : key.Share.Where(s => s != server).ToArray());
            }
            // As over a network: the reduce runs in the holder's own context, not in the requester's flow.
            Task<(int Holder, AcquireResult Answer)>[] reduces;
            using (ExecutionContext.SuppressFlow())
            {
                reduces = holders.Select(h => Task.Run(async () =>
                {
                    Interlocked.Increment(ref Reduces);
                    var a = await _servers[h].ReduceAsync(globalKey, GlobalState.Invalid, fresh);
                    return (Holder: h, Answer: a);
                })).ToArray();
            }
            var answers = await Task.WhenAll(reduces);
            lock (key)
            {
                foreach (var (h, a) in answers)
                {
                    if (a.State == GlobalState.Invalid)
                    {
                        if (key.Modify == h) key.Modify = -1;
                        key.Share.Remove(h);
                    }
                }
                if (answers.Any(x => x.Answer.State != GlobalState.Invalid))
                {
                    bool fresh16 = answers.Any(x => x.Answer.ResultCode == GlobalResultCode.ReduceErrorFreshAcquire);
                    return new AcquireResult(GlobalState.Invalid, fresh16 ? GlobalResultCode.ReduceErrorFreshAcquire
                        : state == GlobalState.Share ? GlobalResultCode.AcquireShareFailed : GlobalResultCode.AcquireModifyFailed);
                }
                if (state == GlobalState.Share)
                {
                    key.Share.Add(server);
                    return new AcquireResult(GlobalState.Share, 0);
                }
                key.Share.Clear();
                key.Modify = server;
                return new AcquireResult(GlobalState.Modify, 0);
            }
        }
        finally
        {
            key.Turn.Release();
        }
    }

    private sealed class Agent(CoherenceModel model, int serverId) : IGlobalCacheAgent
    {
        public ValueTask<AcquireResult> AcquireAsync(ReadOnlyMemory<byte> globalKey, int state, bool fresh, CancellationToken cancellationToken = default)
            => model.AcquireAsync(serverId, globalKey, state, fresh);

        public async ValueTask ReleaseAsync(ReadOnlyMemory<byte> globalKey, CancellationToken cancellationToken = default)
            => await model.AcquireAsync(serverId, globalKey, GlobalState.Invalid, false);
    }
}
