using System.Diagnostics;
using System.Globalization;

namespace Zeze.Bench.Distributed;

/// <summary>
/// G3: the two servers take turns incrementing one shared record: server 1 when the value is even, server 2 when it
/// is odd. Every increment therefore moves the record to the other server (a reduce that flushes it to the database,
/// then an acquire that loads it): the figure is record moves per second, the cost of one hand-over.
/// </summary>
public sealed class G3PingPong : DistributedWorkload
{
    public const double TargetMovesPerSecond = 1000;

    /// <summary>A move's code for "the value says it is the other server's turn" (rolled back; the server waits again).</summary>
    internal const long NotMyTurn = 1;

    public override string Id => "G3";

    /// <summary>Moves in all: about 10–20 s at the target rate of one move per millisecond.</summary>
    public override long DefaultCount => 20_000;

    protected override async Task<WorkloadResult> RunOnServerAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        long count = options.CountOr(DefaultCount);
        await using var cluster = await Cluster.StartAsync(Id, options).ConfigureAwait(false);
        if (!options.NoWarmup)
        {
            long warmup = Math.Min(count, 2_000);
            await cluster.AskAsync(0, Command("INIT", WarmupBase), "INITED", Cluster.ShortTimeout).ConfigureAwait(false);
            _ = await cluster.RunBothAsync(i => Command("RUN", WarmupBase, ShareOf(warmup, i))).ConfigureAwait(false);
        }
        await cluster.AskAsync(0, Command("INIT", 0), "INITED", Cluster.ShortTimeout).ConfigureAwait(false);
        var run = await cluster.RunBothAsync(i => Command("RUN", 0, ShareOf(count, i))).ConfigureAwait(false);

        long moves = run.Ops;
        bool check = moves == count && run.Sum("failed") == 0;
        for (int s = 0; s < Cluster.ServerCount; s++)
        {
            var seen = await cluster.AskAsync(s, Command("CHECK", 0), "CHECKED", Cluster.ShortTimeout).ConfigureAwait(false);
            long value = seen.Long("value");
            if (value != moves)
            {
                check = false;
                Console.Error.WriteLine($"G3: server {s + 1} reads {value}, but the servers counted {moves} increments");
            }
        }
        var read = new LatencyRecorder();
        var commit = new LatencyRecorder();
        foreach (var fields in run.PerServer)
        {
            read.Import(fields["lat_read"]);
            commit.Import(fields["lat_commit"]);
        }
        double movesPerSec = run.Seconds > 0 ? moves / run.Seconds : 0;
        bool targetMet = movesPerSec >= TargetMovesPerSecond;
        string target = string.Create(CultureInfo.InvariantCulture,
            $"TARGET G3 moves/s = {movesPerSec:F0} (>= {TargetMovesPerSecond:F0}) {(targetMet ? "PASS" : "FAIL")}; invariant {(check ? "PASS" : "FAIL")}");
        return new WorkloadResult(moves, run.Seconds, check && targetMet, run.Latency,
            Note: string.Create(CultureInfo.InvariantCulture,
                $"servers=2,early={run.Sum("early")},failed={run.Sum("failed")},acquires_per_move={(moves > 0 ? (double)run.Sum("acquires") / moves : 0):F2},read_p50_us={read.PercentileMicros(0.5):F0},commit_p50_us={commit.PercentileMicros(0.5):F0},{run.CounterNote}"),
            Trailer: target);
    }

    private static string Command(string word, params long[] numbers) =>
        word + string.Concat(numbers.Select(n => " " + n.ToString(CultureInfo.InvariantCulture)));

    /// <summary>
    /// Server side: increments the record on this server's turns until it has made its share of the moves.
    /// <para>
    /// How a server waits for its turn matters as much as the move: a try that comes too early costs the other server's
    /// move a round trip. While the record is cached here (valid) and says "the other's turn", the server only peeks at
    /// its cached copy (<c>WalkCache</c>: no transaction, no GCM traffic). The copy disappears when the other server
    /// reads the record for its move (the GCM reduces this server to Invalid, which flushes it); that move then still
    /// loads the record, upgrades it to Modify and commits. Trying at once would read the old value (a wasted acquire,
    /// and the other's upgrade would have to reduce this server again), and the Share request of a server whose reduce
    /// answer the GCM has not yet applied is answered "deadlock" (21), which the framework redoes only after a 20–100 ms
    /// pause. So after the copy disappears the server waits about as long as its own moves take to read the record (an
    /// average of its recent moves) before its move transaction, which then finds its turn nearly always.
    /// </para>
    /// </summary>
    internal sealed class Server : ServerPart
    {
        /// <summary>A server that has not finished its moves by then stops and reports what it did (the check then fails).</summary>
        private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

        /// <summary>After this long a wait means the other server is stalled: peek less often.</summary>
        private static readonly long SpinTicks = Stopwatch.Frequency / 200; // 5 ms

        private static readonly long MinSettleTicks = Stopwatch.Frequency / 10_000; // 0.1 ms
        private static readonly long MaxSettleTicks = Stopwatch.Frequency / 200; // 5 ms

        public override Task InitAsync(ServerContext ctx, long keyBase)
        {
            var table = ctx.Module.tValue;
            return RunOrThrowAsync(ctx, async () =>
            {
                (await table.GetOrAddAsync(keyBase)).Value = 0;
                return 0;
            }, "G3-init");
        }

        public override Task<PartRun> RunAsync(ServerContext ctx, long keyBase, long count, LatencyRecorder latency) =>
            // On a thread of its own: the waits below block it (the procedures' continuations run on the thread pool).
            Task.Factory.StartNew(() => Run(ctx, keyBase, count, latency), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        private static PartRun Run(ServerContext ctx, long keyBase, long count, LatencyRecorder latency)
        {
            Native.TightenTimerSlack(); // this thread's pauses are tens of microseconds
            var table = ctx.Module.tValue;
            long turn = ctx.Index;
            // Where a move's time goes: reading the record (for a move: acquire Share, which makes the other server
            // flush it, then load it) and committing (acquire Modify; nobody else holds it by then).
            long attemptStart = 0, read = 0;
            Func<ValueTask<long>> move = async () =>
            {
                attemptStart = Stopwatch.GetTimestamp();
                var record = (await table.GetAsync(keyBase))!;
                read = Stopwatch.GetTimestamp();
                if (record.Value % 2 != turn) return NotMyTurn;
                record.Value += 1;
                return 0;
            };
            var readLatency = new LatencyRecorder();
            var commitLatency = new LatencyRecorder();
            long moves = 0, early = 0, failed = 0, peeks = 0;
            long settle = Stopwatch.Frequency / 2000; // 0.5 ms until this server has measured its own moves
            long waitingSince = 0;
            var sw = Stopwatch.StartNew();
            while (moves < count && sw.Elapsed < Deadline)
            {
                var (here, value) = Peek(table, keyBase);
                if (here && value % 2 != turn)
                {
                    // The other server's turn, and it has not taken the record yet.
                    peeks++;
                    long now = Stopwatch.GetTimestamp();
                    if (waitingSince == 0) waitingSince = now;
                    Pause(now - waitingSince < SpinTicks ? PeekIntervalMicros : LongPauseMicros);
                    continue;
                }
                if (!here)
                {
                    // Taken by the other server for its move (or never loaded here): give that move time to finish.
                    Pause(Stopwatch.GetElapsedTime(0, settle).TotalMicroseconds);
                }
                long start = LatencyRecorder.Start();
                long rc = ctx.App.RunAsync(move, "G3").AsTask().GetAwaiter().GetResult();
                if (rc == 0)
                {
                    long end = Stopwatch.GetTimestamp();
                    latency.RecordTicks(end - start);
                    readLatency.RecordTicks(read - attemptStart);
                    commitLatency.RecordTicks(end - read);
                    settle = Math.Clamp((settle * 7 + (read - attemptStart)) / 8, MinSettleTicks, MaxSettleTicks);
                    moves++;
                    waitingSince = 0;
                    continue;
                }
                if (rc == NotMyTurn) early++; // read the value before the other server's move committed
                else failed++;
                if (waitingSince == 0) waitingSince = Stopwatch.GetTimestamp();
            }
            return new PartRun(moves, sw.Elapsed.TotalSeconds, failed, ("early", early), ("peeks", peeks),
                ("lat_read", readLatency.Export()), ("lat_commit", commitLatency.Export()));
        }

        /// <summary>Between two peeks while the other server moves: short, since a move takes about a millisecond.</summary>
        private const double PeekIntervalMicros = 20;

        /// <summary>Between two peeks once the other server is stalled (a redo pause, a GC): no need to watch closely.</summary>
        private const double LongPauseMicros = 1000;

        /// <summary>
        /// Sleeps this thread for about <paramref name="micros"/> µs without using a core. .NET's own timers are too coarse
        /// here (Task.Delay(1) takes about 4 ms on Linux, Thread.Sleep rounds to milliseconds), so on Unix this is
        /// usleep; elsewhere the thread only yields its core.
        /// </summary>
        private static void Pause(double micros)
        {
            if (OperatingSystem.IsWindows()) Thread.Yield();
            else _ = Native.usleep((uint)Math.Max(1, micros));
        }

        /// <summary>The cached copy of the record, without a transaction: whether it is here (valid) and its value.</summary>
        private static (bool Here, long Value) Peek(global::Bench.Local.tValue table, long key)
        {
            bool here = false;
            long value = 0;
            table.WalkCache((k, v) =>
            {
                if (k != key) return true;
                here = true;
                value = v.Value;
                return false;
            });
            return (here, value);
        }

        public override async Task<(string Key, object Value)[]> CheckAsync(ServerContext ctx, long keyBase)
        {
            var table = ctx.Module.tValue;
            long value = -1;
            await RunOrThrowAsync(ctx, async () =>
            {
                value = (await table.GetAsync(keyBase))?.Value ?? -1;
                return 0;
            }, "G3-check").ConfigureAwait(false);
            return [("value", value)];
        }
    }
}

internal static partial class Native
{
    [System.Runtime.InteropServices.LibraryImport("libc", SetLastError = false)]
    internal static partial int usleep(uint microseconds);

    /// <summary>prctl(2) with one numeric argument (the others 0).</summary>
    [System.Runtime.InteropServices.LibraryImport("libc", SetLastError = false)]
    private static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    private const int PrSetTimerSlack = 29;

    /// <summary>
    /// Linux lets a sleeping thread wake up to 50 µs late by default (timer slack); a waiter that sleeps tens of
    /// microseconds at a time asks for 1 ns instead. Affects only the calling thread; ignored elsewhere.
    /// </summary>
    internal static void TightenTimerSlack()
    {
        if (OperatingSystem.IsLinux()) _ = prctl(PrSetTimerSlack, 1, 0, 0, 0);
    }
}
