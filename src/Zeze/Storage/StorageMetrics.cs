using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Zeze.Storage;

/// <summary>Meter "Zeze.Storage": batches, writes and their latency, per database and outcome.</summary>
internal static class StorageMetrics
{
    public const string MeterName = "Zeze.Storage";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Batches =
        Meter.CreateCounter<long>("zeze.storage.batches", "{batch}", "Batches committed or failed.");

    private static readonly Counter<long> Writes =
        Meter.CreateCounter<long>("zeze.storage.writes", "{write}", "Writes (puts and deletes) in committed batches.");

    private static readonly Histogram<double> CommitDuration =
        Meter.CreateHistogram<double>("zeze.storage.batch.duration", "ms", "Time to commit one batch.");

    private static readonly Counter<long> Reads =
        Meter.CreateCounter<long>("zeze.storage.reads", "{read}", "Finds of one key.");

    public static void BatchDone(string database, DatabaseKind kind, int writes, TimeSpan elapsed, string outcome)
    {
        var tags = new TagList { { "db.name", database }, { "db.kind", kind.ToString() }, { "outcome", outcome } };
        Batches.Add(1, tags);
        if (outcome == "ok")
            Writes.Add(writes, tags);
        CommitDuration.Record(elapsed.TotalMilliseconds, tags);
    }

    public static void Read(string database, DatabaseKind kind)
    {
        if (Reads.Enabled)
            Reads.Add(1, new KeyValuePair<string, object?>("db.name", database), new KeyValuePair<string, object?>("db.kind", kind.ToString()));
    }
}
