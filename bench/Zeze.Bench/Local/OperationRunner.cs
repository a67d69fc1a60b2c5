using System.Diagnostics;

namespace Zeze.Bench.Local;

/// <summary>What a run of operations measured: elapsed seconds and how many operations returned non-zero.</summary>
public readonly record struct RunOutcome(double Seconds, long NonZeroResults);

/// <summary>
/// The task structures of the local workloads, shared by the raw and the framework variants so that both
/// are scheduled the same way. An operation takes its index and returns a result code (0 = success),
/// like a procedure. Latency is measured from the moment an operation starts running to its completion
/// (not from its creation: with a million operations started at once, time spent queued would dominate).
/// </summary>
public static class OperationRunner
{
    /// <summary>W1: each operation is awaited before the next one starts.</summary>
    public static async Task<RunOutcome> SequentialAsync(long count, Func<long, Task<long>> op, LatencyRecorder latency)
    {
        long nonZero = 0;
        var sw = Stopwatch.StartNew();
        for (long i = 0; i < count; i++)
        {
            long start = LatencyRecorder.Start();
            long rc = await op(i).ConfigureAwait(false);
            latency.Record(start);
            if (rc != 0) nonZero++;
        }
        return new RunOutcome(sw.Elapsed.TotalSeconds, nonZero);
    }

    /// <summary>
    /// W2–W5: all operations started at once. Without <paramref name="concurrency"/> every operation is its
    /// own <see cref="Task.Run(Func{Task})"/> (the thread pool decides the parallelism, as the framework's
    /// scheduler will); with it, that many worker tasks take operation indexes from a shared counter.
    /// </summary>
    public static async Task<RunOutcome> AllAtOnceAsync(long count, int? concurrency, Func<long, Task<long>> op, LatencyRecorder latency)
    {
        var nonZero = new Counter();
        var sw = Stopwatch.StartNew();
        if (concurrency is int workers && workers > 0)
        {
            var next = new Counter { Value = -1 };
            var tasks = new Task[workers];
            for (int w = 0; w < workers; w++)
            {
                tasks[w] = Task.Run(async () =>
                {
                    long i;
                    while ((i = Interlocked.Increment(ref next.Value)) < count)
                        await Measure(op, i, latency, nonZero).ConfigureAwait(false);
                });
            }
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        else
        {
            var tasks = new Task[count];
            for (long i = 0; i < count; i++)
            {
                long index = i;
                tasks[i] = Task.Run(() => Measure(op, index, latency, nonZero));
            }
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        return new RunOutcome(sw.Elapsed.TotalSeconds, Interlocked.Read(ref nonZero.Value));
    }

    private static async Task Measure(Func<long, Task<long>> op, long index, LatencyRecorder latency, Counter nonZero)
    {
        long start = LatencyRecorder.Start();
        long rc = await op(index).ConfigureAwait(false);
        latency.Record(start);
        if (rc != 0) Interlocked.Increment(ref nonZero.Value);
    }

    private sealed class Counter
    {
        public long Value;
    }

    /// <summary>A deterministic, thread-safe pseudo-random number for operation <paramref name="index"/> (SplitMix64).</summary>
    public static ulong Mix(long index, ulong salt = 0)
    {
        ulong z = (ulong)index + salt + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
