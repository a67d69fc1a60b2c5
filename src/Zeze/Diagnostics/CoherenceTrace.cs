namespace Zeze.Diagnostics;

/// <summary>
/// A debugging aid for the global cache: when <see cref="Enabled"/>, the agent side, the commit path and the GCM write
/// small events into a ring, so that a coherence failure found by a test can be explained afterwards. Off by default;
/// each call site costs one static read.
/// </summary>
internal static class CoherenceTrace
{
    internal enum Kind : short
    {
        LoadAcquired, LoadRead, UpgradeAnswer, Commit, Encode, Flushed, ReduceAnswer, GcmAnswer, Check,
    }

    /// <summary>One event; <paramref name="Time"/> is <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> (the monotonic
    /// clock, the same in every process of the machine: traces of several processes can be merged by it).</summary>
    internal readonly record struct Event(long Seq, long Time, int Server, int Key, Kind Kind, int A, long B, long V);

    private const int Size = 1 << 22;
    private static Event[]? s_ring;
    private static long s_next;

    public static volatile bool Enabled;

    /// <summary>Reads a record's value as a number for the trace (set by the test that enables tracing).</summary>
    public static Func<Transaction.Record, long>? ValueOf;

    public static void Start()
    {
        s_ring = new Event[Size];
        s_next = 0;
        Enabled = true;
    }

    public static int KeyOf(ReadOnlySpan<byte> globalKey)
    {
        uint h = 2166136261;
        foreach (byte b in globalKey) h = (h ^ b) * 16777619;
        return (int)h;
    }

    public static void Add(int server, ReadOnlySpan<byte> globalKey, Kind kind, int a, long b, long v)
    {
        var ring = s_ring;
        if (ring == null) return;
        long seq = Interlocked.Increment(ref s_next);
        ring[seq & (Size - 1)] = new Event(seq, System.Diagnostics.Stopwatch.GetTimestamp(), server, KeyOf(globalKey), kind, a, b, v);
    }

    public static void Add(Transaction.Record record, Kind kind, int a, long b, long v = long.MinValue)
    {
        if (v == long.MinValue && ValueOf is { } f)
        {
            using var view = Transaction.Transaction.CommittedView();
            try
            {
                v = record.Value == null ? -1 : f(record);
            }
            catch (Exception)
            {
                v = -3;
            }
        }
        Add(record.Table.Application.Options.ServerId, record.GlobalKey, kind, a, b, v);
    }

    /// <summary>Writes every event in the ring, oldest first, one line each: time seq server key kind a b v.</summary>
    public static void Dump(string path)
    {
        var ring = s_ring;
        if (ring == null) return;
        using var file = new StreamWriter(path);
        foreach (var e in ring.Where(e => e.Seq != 0).OrderBy(e => e.Seq))
            file.WriteLine(FormattableString.Invariant($"{e.Time} {e.Seq} {e.Server} {e.Key} {e.Kind} {e.A} {e.B} {e.V}"));
    }

    public static List<Event> Of(int key)
    {
        var ring = s_ring;
        if (ring == null) return [];
        return ring.Where(e => e.Seq != 0 && e.Key == key).OrderBy(e => e.Seq).ToList();
    }
}
