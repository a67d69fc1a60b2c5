using Microsoft.Extensions.Logging;
using Zeze.Services.GlobalCache;
using Zeze.Transaction;

namespace Zeze;

// The application's side of the global cache: many servers share one database, and a global cache manager keeps
// their caches coherent. Records are acquired in Share when loaded and upgraded to Modify when a transaction commits
// a write; when another server needs a record, the GCM asks this one to reduce it: the record becomes Invalid here
// and its dirty data reaches the database before the answer (global-and-raft.md A6).
public sealed partial class Application
{
    /// <summary>The global cache agent, when this server shares its database with others (null: a single server).</summary>
    public IGlobalCacheAgent? GlobalAgent { get; private set; }

    /// <summary>What the global cache agent calls into: reduces and local releases.</summary>
    public IGlobalCacheHandler GlobalCacheHandler => _globalHandler ??= new GlobalCacheHandler(this);

    private GlobalCacheHandler? _globalHandler;

    /// <summary>
    /// Joins a global cache: <paramref name="agent"/> talks to the global cache manager(s) (construct it with
    /// <see cref="GlobalCacheHandler"/>); <paramref name="name"/> identifies the manager configuration and is stored with
    /// this server's in-use mark, so that servers configured with different managers cannot share a database.
    /// </summary>
    public void UseGlobalCache(IGlobalCacheAgent agent, string name)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ThrowIfStarted();
        GlobalAgent = agent;
        GlobalCacheName = name;
    }

    /// <summary>The GCM instance count the keys are spread over (1 without an agent that says otherwise).</summary>
    internal int GlobalInstanceCount => (GlobalAgent as IGlobalCacheAgentLifecycle)?.InstanceCount ?? 1;

    /// <summary>A random freshness window: 300–599 ms after an acquire, as in Zeze.</summary>
    internal long NewFreshUntil() => TimeProvider.GetTimestamp() + (long)((300 + Random.Shared.Next(300)) / 1000.0 * TimeProvider.TimestampFrequency);

    internal bool IsFresh(Record record)
    {
        long until = Volatile.Read(ref record.FreshUntil);
        return until != 0 && TimeProvider.GetTimestamp() < until;
    }

    private async Task StartGlobalAgentAsync(CancellationToken cancellationToken)
    {
        if (GlobalAgent == null && Options.GlobalCacheManagers.Length > 0)
        {
            GlobalAgent = new GlobalCacheAgent(new GlobalCacheAgentOptions
            {
                Managers = Options.GlobalCacheManagers,
                ServerId = Options.ServerId,
                DebugMode = Options.GlobalCacheDebugMode,
            }, GlobalCacheHandler, LoggerFactory, TimeProvider, _meterFactory);
            _ownsGlobalAgent = true;
        }
        if (GlobalAgent is IGlobalCacheAgentLifecycle lifecycle)
            await lifecycle.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task StopGlobalAgentAsync(CancellationToken cancellationToken)
    {
        if (GlobalAgent is IGlobalCacheAgentLifecycle lifecycle)
        {
            try
            {
                await lifecycle.StopAsync(cancellationToken).ConfigureAwait(false);
                if (_ownsGlobalAgent && GlobalAgent is IAsyncDisposable d) await d.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Log.Logger.LogWarning(e, "closing the global cache agent failed");
            }
        }
    }

    private bool _ownsGlobalAgent;

    /// <summary>After a failed start: the agent made from the options goes (a new start makes a new one).</summary>
    private async Task DropOwnedGlobalAgentAsync()
    {
        if (!_ownsGlobalAgent) return;
        var agent = GlobalAgent;
        GlobalAgent = null;
        _ownsGlobalAgent = false;
        try
        {
            if (agent is IGlobalCacheAgentLifecycle lifecycle) await lifecycle.StopAsync(CancellationToken.None).ConfigureAwait(false);
            if (agent is IAsyncDisposable d) await d.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.Logger.LogWarning(e, "could not stop the global cache agent of application {Name} after a failed start", Name);
        }
    }

    /// <summary>Finds a cached record by its global key (null when the table is unknown or the record is not cached).</summary>
    internal Record? FindCachedRecord(ReadOnlySpan<byte> globalKey)
    {
        if (globalKey.Length < 4) return null;
        int tableId = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(globalKey);
        return _tablesById.TryGetValue(tableId, out var table) ? table.FindCached(globalKey[4..]) : null;
    }

    /// <summary>Invalidates every cached record of GCM instance <paramref name="instanceIndex"/>, then writes everything.</summary>
    internal async Task LocalReleaseAsync(int instanceIndex, CancellationToken cancellationToken)
    {
        int count = GlobalInstanceCount;
        foreach (var table in _tablesById.Values)
        {
            if (table.IsMemory) continue;
            foreach (var record in table.CachedRecords())
            {
                if (GlobalKeyHash.InstanceIndex(record.GlobalKey, count) != instanceIndex) continue;
                await record.EnterAsync(write: true).ConfigureAwait(false);
                try
                {
                    int state = record.State;
                    if (state == RecordState.Share || state == RecordState.Modify)
                    {
                        record.FreshUntil = 0;
                        record.State = RecordState.Invalid;
                    }
                }
                finally
                {
                    record.ExitWrite();
                }
            }
        }
        await CheckpointNowAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The core's answers to the global cache agent (reduce, local release).</summary>
internal sealed class GlobalCacheHandler(Application app) : IGlobalCacheHandler
{
    public async ValueTask<AcquireResult> ReduceAsync(ReadOnlyMemory<byte> globalKey, int targetState, bool requesterFresh, CancellationToken cancellationToken = default)
    {
        int before = Zeze.Diagnostics.CoherenceTrace.Enabled ? app.FindCachedRecord(globalKey.Span)?.State ?? -1 : 0;
        var answer = await ReduceRecordAsync(globalKey, targetState, requesterFresh).ConfigureAwait(false);
        if (Zeze.Diagnostics.CoherenceTrace.Enabled)
        {
            var r = app.FindCachedRecord(globalKey.Span);
            Zeze.Diagnostics.CoherenceTrace.Add(app.Options.ServerId, globalKey.Span, Zeze.Diagnostics.CoherenceTrace.Kind.ReduceAnswer, before * 100 + answer.State, answer.ResultCode, r == null ? -2 : (r.IsDirty ? 1 : 0));
        }
        app.Metrics.GlobalReduced(targetState, answer.ResultCode);
        return answer;
    }

    private async ValueTask<AcquireResult> ReduceRecordAsync(ReadOnlyMemory<byte> globalKey, int targetState, bool requesterFresh)
    {
        var record = app.FindCachedRecord(globalKey.Span);
        if (record == null)
            return new AcquireResult(GlobalState.Invalid, targetState == GlobalState.Invalid ? GlobalResultCode.ReduceInvalidAlreadyIsInvalid : GlobalResultCode.ReduceShareAlreadyIsInvalid);
        // A load in progress was granted by the GCM before it sent this reduce (it serves a key's requests in order),
        // even though the record still looks Invalid here: answering "already invalid" would let another server write
        // while we read the database and then take our copy for Share. Let the load finish first.
        Task? loading;
        lock (record) loading = record.Loading;
        if (loading != null && !await FinishesWithinAsync(loading, app.Options.ReduceLockWait, app.TimeProvider).ConfigureAwait(false))
            return new AcquireResult(GlobalState.Invalid, GlobalResultCode.ReduceErrorFreshAcquire);
        // The write lock waits for local transactions committing this record, and keeps new ones out until we answer.
        // A transaction holding it for long is waiting for the GCM itself (possibly for a key this very reduce's
        // requester holds): answer "busy" so the requester releases its locks and retries, instead of a cycle that
        // only timeouts would break.
        if (!await record.TryEnterAsync(write: true, app.Options.ReduceLockWait, app.TimeProvider).ConfigureAwait(false))
            return new AcquireResult(record.State is RecordState.Share ? GlobalState.Share : record.State is RecordState.Modify ? GlobalState.Modify : GlobalState.Invalid,
                GlobalResultCode.ReduceErrorFreshAcquire);
        try
        {
            int state = record.State;
            if (state != RecordState.Share && state != RecordState.Modify)
            {
                // Invalid here, but its data may not have reached the database yet (a local release sets every record
                // Invalid before its checkpoint writes them): the requester reads the database next, so write it first.
                if (record.IsDirty) await app.Checkpoint.FlushRecordAsync(record).ConfigureAwait(false);
                return new AcquireResult(GlobalState.Invalid, targetState == GlobalState.Invalid ? GlobalResultCode.ReduceInvalidAlreadyIsInvalid : GlobalResultCode.ReduceShareAlreadyIsInvalid);
            }
            if (!requesterFresh && app.IsFresh(record))
                return new AcquireResult(state, GlobalResultCode.ReduceErrorFreshAcquire);
            if (targetState == GlobalState.Share && state == RecordState.Share)
                return new AcquireResult(GlobalState.Share, GlobalResultCode.ReduceShareAlreadyIsShare);
            record.FreshUntil = 0;
            int next = targetState == GlobalState.Share ? RecordState.Share : RecordState.Invalid;
            record.State = next;
            // Dirty data reaches the database before the GCM hands the record to another server.
            if (record.IsDirty) await app.Checkpoint.FlushRecordAsync(record).ConfigureAwait(false);
            return new AcquireResult(next, GlobalResultCode.Success);
        }
        finally
        {
            record.ExitWrite();
        }
    }

    /// <summary>True when <paramref name="task"/> ends (in any way) within <paramref name="timeout"/>.</summary>
    private static async Task<bool> FinishesWithinAsync(Task task, TimeSpan timeout, TimeProvider time)
    {
        if (!task.IsCompleted)
        {
            try
            {
                await task.WaitAsync(timeout, time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return task.IsCompleted;
            }
            catch (Exception)
            {
                // the load failed: the record stays Invalid, which the checks below see
            }
        }
        return true;
    }

    public Task LocalReleaseAsync(int instanceIndex, CancellationToken cancellationToken = default) =>
        app.LocalReleaseAsync(instanceIndex, cancellationToken);
}

/// <summary>A global acquire was refused: the transaction redoes (or aborts for the failure codes).</summary>
internal sealed class GlobalAcquireException(Record record, int state, long code)
    : Exception($"global cache refused {(state == GlobalState.Modify ? "Modify" : "Share")} on {record}: code {code}")
{
    public long Code { get; } = code;

    /// <summary>A failure that a retry does not cure (a reduce failed, the agent is releasing or cut off): abort.</summary>
    public bool Aborts => !GlobalResultCode.IsRedo(Code);
}
