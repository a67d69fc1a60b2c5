using System.Runtime.InteropServices;

namespace Zeze;

/// <summary>
/// A counter updated from many threads without sharing a cache line: each update goes to a slot chosen by the
/// current thread; reading sums the slots. For counts that are written per operation and read rarely.
/// </summary>
internal sealed class StripedCounter
{
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct Slot
    {
        [FieldOffset(64)] public long Value; // padded on both sides
    }

    private readonly Slot[] _slots = new Slot[Math.Max(4, (int)BitOperationsHelper.RoundUpToPowerOf2((uint)Environment.ProcessorCount * 2))];

    /// <summary>Adds one and returns the slot used, to pass to <see cref="Decrement"/> (from any thread).</summary>
    public int Increment()
    {
        int slot = Environment.CurrentManagedThreadId & (_slots.Length - 1);
        Interlocked.Increment(ref _slots[slot].Value);
        return slot;
    }

    public void Decrement(int slot) => Interlocked.Decrement(ref _slots[slot].Value);

    public long Sum
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < _slots.Length; i++) sum += Volatile.Read(ref _slots[i].Value);
            return sum;
        }
    }

    private static class BitOperationsHelper
    {
        public static uint RoundUpToPowerOf2(uint x) => System.Numerics.BitOperations.RoundUpToPowerOf2(x);
    }
}
