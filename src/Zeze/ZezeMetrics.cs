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
    public Histogram<double> CheckpointDuration { get; }
    public Histogram<double> FlushDuration { get; }

    public void Dispose() => _meter.Dispose();
}
