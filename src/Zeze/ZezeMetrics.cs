using System.Diagnostics.Metrics;

namespace Zeze;

/// <summary>The application's counters, on the meter named "Zeze" (tagged with the application name).</summary>
public sealed class ZezeMetrics : IDisposable
{
    public const string MeterName = "Zeze";

    private readonly Meter _meter;

    internal ZezeMetrics(string appName, IMeterFactory? factory, Func<long> backlog, Func<long> running)
    {
        var tags = new KeyValuePair<string, object?>[] { new("zeze.app", appName) };
        _meter = factory?.Create(new MeterOptions(MeterName) { Tags = tags }) ?? new Meter(MeterName, null, tags);
        Procedures = _meter.CreateCounter<long>("zeze.procedures", description: "Top-level procedures started");
        Commits = _meter.CreateCounter<long>("zeze.commits", description: "Transactions committed");
        Rollbacks = _meter.CreateCounter<long>("zeze.rollbacks", description: "Transactions ended without commit (error code, exception, abort)");
        Redo = _meter.CreateCounter<long>("zeze.redo", description: "Attempts redone after a conflict");
        RedoAndRelease = _meter.CreateCounter<long>("zeze.redo_release", description: "Attempts redone after releasing all locks");
        CacheMisses = _meter.CreateCounter<long>("zeze.cache.misses", description: "Records loaded from the database");
        Evictions = _meter.CreateCounter<long>("zeze.cache.evictions", description: "Records evicted from the cache");
        FlushedRecords = _meter.CreateCounter<long>("zeze.checkpoint.records", description: "Records written by the checkpoint");
        FlushFailures = _meter.CreateCounter<long>("zeze.checkpoint.failures", description: "Checkpoint writes that failed (and are retried)");
        CheckpointDuration = _meter.CreateHistogram<double>("zeze.checkpoint.duration", "ms", "Time of a checkpoint");
        FlushDuration = _meter.CreateHistogram<double>("zeze.checkpoint.write.duration", "ms", "Time of one database write");
        GlobalAcquires = _meter.CreateCounter<long>("zeze.global.acquires", description: "Global cache acquires asked by this server, by state and outcome");
        GlobalReduces = _meter.CreateCounter<long>("zeze.global.reduces", description: "Reduces handled for the global cache manager, by target state and result code");
        GlobalRedo = _meter.CreateCounter<long>("zeze.global.redo", description: "Attempts redone because the global cache took a record away or refused an acquire");
        _meter.CreateObservableGauge("zeze.checkpoint.backlog", backlog, description: "Records waiting to be written");
        _meter.CreateObservableGauge("zeze.procedures.running", running, description: "Procedures running now");
    }

    public Counter<long> Procedures { get; }
    public Counter<long> Commits { get; }
    public Counter<long> Rollbacks { get; }
    public Counter<long> Redo { get; }
    public Counter<long> RedoAndRelease { get; }
    public Counter<long> CacheMisses { get; }
    public Counter<long> Evictions { get; }
    public Counter<long> FlushedRecords { get; }
    public Counter<long> FlushFailures { get; }
    public Counter<long> GlobalAcquires { get; }
    public Counter<long> GlobalReduces { get; }
    public Counter<long> GlobalRedo { get; }
    public Histogram<double> CheckpointDuration { get; }
    public Histogram<double> FlushDuration { get; }

    /// <summary>Attempts redone so far (a plain count, for reports and tests).</summary>
    public long RedoCount => Interlocked.Read(ref _redo);

    internal long _redo;

    /// <summary>Global cache acquires asked so far (a plain count).</summary>
    public long GlobalAcquireCount => Interlocked.Read(ref _globalAcquires);

    /// <summary>Reduces handled so far (a plain count).</summary>
    public long GlobalReduceCount => Interlocked.Read(ref _globalReduces);

    /// <summary>Attempts redone because of the global cache so far (a plain count).</summary>
    public long GlobalRedoCount => Interlocked.Read(ref _globalRedo);

    private long _globalAcquires, _globalReduces, _globalRedo;

    internal void GlobalAcquired(int state, bool granted)
    {
        Interlocked.Increment(ref _globalAcquires);
        if (GlobalAcquires.Enabled)
            GlobalAcquires.Add(1, new KeyValuePair<string, object?>("state", state == Services.GlobalCache.GlobalState.Modify ? "modify" : "share"),
                new KeyValuePair<string, object?>("granted", granted));
    }

    internal void GlobalReduced(int targetState, long resultCode)
    {
        Interlocked.Increment(ref _globalReduces);
        if (GlobalReduces.Enabled)
            GlobalReduces.Add(1, new KeyValuePair<string, object?>("target", targetState == Services.GlobalCache.GlobalState.Share ? "share" : "invalid"),
                new KeyValuePair<string, object?>("result", resultCode));
    }

    internal void GlobalRedone()
    {
        Interlocked.Increment(ref _globalRedo);
        GlobalRedo.Add(1);
    }

    public void Dispose() => _meter.Dispose();
}
