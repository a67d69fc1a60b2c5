using System.Diagnostics;

namespace Zeze.Bench.Network;

/// <summary>
/// The discarded warm-up before an echo run. Tiered compilation promotes hot methods in the background,
/// once a burst of new methods has quietened, so a fixed 300,000-echo warm-up (0.1–0.3 s) left the first
/// run of each process measuring partly unoptimised code: in N1 the first raw and the first rpc run were
/// both 20–40% slower than the later ones. Warming for a second makes every run measure the steady state.
/// </summary>
internal static class EchoWarmup
{
    private static readonly TimeSpan MinDuration = TimeSpan.FromSeconds(1);

    /// <summary>Runs <paramref name="drive"/> in chunks until a second has passed (at least one chunk).</summary>
    public static async Task RunAsync(Func<long, Task<long>> drive, long count)
    {
        long chunk = Math.Min(100_000, count);
        var sw = Stopwatch.StartNew();
        do await drive(chunk).ConfigureAwait(false);
        while (sw.Elapsed < MinDuration);
    }
}
