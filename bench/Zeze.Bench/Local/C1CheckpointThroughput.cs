using System.Diagnostics;
using System.Globalization;
using Zeze.Transaction;

namespace Zeze.Bench.Local;

/// <summary>
/// C1, checkpoint throughput: how many records per second the checkpoint writes to the database of <c>--db</c>.
/// Three passes over N records (default 100,000), each dirtying every record in its own small procedure (one
/// relative record set each, as many small transactions leave them) and then timing the checkpoint that writes them:
/// new records (inserts), changed records (updates), removed records (deletes). Only the checkpoints are timed.
/// The table ends empty, so a server database can be reused by the next run.
/// </summary>
public sealed class C1CheckpointThroughput : IWorkload
{
    public string Id => "C1";

    public long DefaultCount => 100_000;

    public bool HasRaw => false;

    public async Task<WorkloadResult> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        if (!options.NoWarmup)
            _ = await RunOnceAsync(options.WithCount(Math.Min(20_000, options.CountOr(DefaultCount))), cancellationToken).ConfigureAwait(false);
        return await RunOnceAsync(options, cancellationToken).ConfigureAwait(false);
    }

    private async Task<WorkloadResult> RunOnceAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        long count = options.CountOr(DefaultCount);
        await using var f = await FrameworkApp.StartAsync(options, z =>
        {
            z.CheckpointPeriod = TimeSpan.Zero;                      // only the timed checkpoints write
            z.DefaultTable = new TableOptions { CacheCapacity = 0 }; // no eviction (it would checkpoint on its own)
        }).ConfigureAwait(false);
        var table = f.Module.tValue;
        double insert = await PassAsync(f, count, async k => (await table.GetOrAddAsync(k)).Value = k + 1, cancellationToken).ConfigureAwait(false);
        double update = await PassAsync(f, count, async k => (await table.GetAsync(k))!.Value += 1, cancellationToken).ConfigureAwait(false);
        long stored = 0;
        bool valuesRight = true;
        await table.WalkAsync((k, v) =>
        {
            stored++;
            valuesRight &= v.Value == k + 2;
            return true;
        }, cancellationToken).ConfigureAwait(false);
        double delete = await PassAsync(f, count, async k => await table.RemoveAsync(k), cancellationToken).ConfigureAwait(false);
        long left = await table.WalkAsync((_, _) => true, cancellationToken).ConfigureAwait(false);
        bool check = stored == count && valuesRight && left == 0;
        string Rate(double seconds) => (count / seconds).ToString("F0", CultureInfo.InvariantCulture);
        return new WorkloadResult(3 * count, insert + update + delete, check,
            Note: $"records_per_sec:insert={Rate(insert)},update={Rate(update)},delete={Rate(delete)}");
    }

    /// <summary>Runs one procedure per key (all at once, through the scheduler), then returns the seconds of the checkpoint.</summary>
    private static async Task<double> PassAsync(FrameworkApp f, long count, Func<long, ValueTask> change, CancellationToken cancellationToken)
    {
        var tasks = new Task<long>[count];
        for (long k = 0; k < count; k++)
        {
            long key = k;
            tasks[k] = f.App.ExecuteAsync(async () =>
            {
                await change(key).ConfigureAwait(false);
                return 0;
            }, "C1").AsTask();
        }
        foreach (long rc in await Task.WhenAll(tasks).ConfigureAwait(false))
        {
            if (rc != 0) throw new InvalidOperationException($"a C1 procedure failed with {rc}");
        }
        var sw = Stopwatch.StartNew();
        await f.App.CheckpointNowAsync(cancellationToken).ConfigureAwait(false);
        return sw.Elapsed.TotalSeconds;
    }
}
