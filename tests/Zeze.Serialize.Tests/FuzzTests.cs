using System.Diagnostics;
using Xunit.Abstractions;
using Zeze.Serialize.Tests.Beans;

namespace Zeze.Serialize.Tests;

/// <summary>
/// Seeded fuzzing of bean decoding and skipping: random bytes and mutations of valid encodings. The only
/// exception allowed out is <see cref="DecodeException"/>; decoding terminates, reads nothing outside its
/// window (checked twice: an exact-size array turns an over-read into IndexOutOfRange, and a padded window
/// must give the same outcome as the exact one), and allocates in proportion to the input.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private const int Seed = 0x5EED_2026;
    private const int Inputs = 100_000;

    private static readonly byte[] Interesting = [0x00, 0x01, 0x02, 0x0F, 0x10, 0x13, 0x14, 0x15, 0x16, 0x17, 0x1D, 0x3F, 0x40, 0x7E, 0x7F, 0x80, 0x81, 0xC0, 0xF0, 0xF6, 0xFE, 0xFF];

    private static readonly Func<ISerializable>[] Decoders =
    [
        () => new BTree(), () => new BV2(), () => new BV1(), () => new BDerivedMapList(), () => new BDynamicField(1),
    ];

    [Fact]
    public void OnlyDecodeExceptionEscapesAndDecodingTerminates()
    {
        var stats = new Stats();
        Exception? failure = null;
        var sw = Stopwatch.StartNew();
        var thread = new Thread(() =>
        {
            try { Run(stats); }
            catch (Exception e) { failure = e; }
        }, maxStackSize: 1 << 20) { IsBackground = true };
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(120)), $"fuzzing did not finish in 120 s (at input {stats.Done})");
        sw.Stop();
        if (failure != null) throw failure;
        output.WriteLine($"fuzz: seed {Seed:X}, {stats.Done} inputs, {stats.Attempts} decodes, {stats.Succeeded} succeeded, " +
                         $"{stats.Rejected} DecodeException, {sw.Elapsed.TotalSeconds:F1} s, worst allocation {stats.WorstRatio:F0} bytes per input byte");
        Assert.Equal(Inputs, stats.Done);
    }

    private sealed class Stats
    {
        public int Done;
        public long Attempts, Succeeded, Rejected;
        public double WorstRatio;
    }

    private static void Run(Stats stats)
    {
        var r = new Random(Seed);
        var corpus = Corpus(r);
        for (int n = 0; n < Inputs; n++)
        {
            byte[] input = r.Next(10) < 3 ? RandomBeans.Bytes(r, r.Next(65)) : Mutate(r, corpus);
            var decoder = Decoders[n % Decoders.Length];
            Check(n, input, stats, bb => decoder().Decode(bb));
            if (n % 2 == 0)
            {
                Check(n, input, stats, bb =>
                {
                    int tag = bb.ReadByte();
                    bb.ReadTagSize(tag);
                    bb.SkipUnknownField(tag);
                });
            }
            else
            {
                Check(n, input, stats, bb => bb.SkipBean());
            }
            stats.Done = n + 1;
        }
    }

    /// <summary>Runs <paramref name="decode"/> on the exact input and on a padded window of it; both must agree.</summary>
    private static void Check(int n, byte[] input, Stats stats, Action<ByteBuffer> decode)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var (ok, consumed) = Attempt(n, input, ByteBuffer.Wrap(input), decode);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        double ratio = allocated / (double)(input.Length + 1);
        if (ratio > stats.WorstRatio) stats.WorstRatio = ratio;
        if (allocated > 64 * 1024 + 4096L * input.Length)
            throw new InvalidOperationException($"input #{n} ({input.Length} bytes) allocated {allocated} bytes: {Convert.ToHexString(input)}");

        // The same bytes between END bytes: a decoder that read past its window would now see valid data.
        byte[] padded = [0, 0, 0, .. input, 0, 0, 0, 0, 0, 0, 0, 0];
        var (okPadded, consumedPadded) = Attempt(n, input, ByteBuffer.Wrap(padded, 3, input.Length), decode);
        if (ok != okPadded || (ok && consumed != consumedPadded - 3))
            throw new InvalidOperationException($"input #{n}: outcome depends on bytes outside the window ({ok}/{consumed} vs {okPadded}/{consumedPadded - 3}): {Convert.ToHexString(input)}");

        stats.Attempts += 2;
        if (ok) stats.Succeeded++;
        else stats.Rejected++;
    }

    private static (bool Ok, int Consumed) Attempt(int n, byte[] input, ByteBuffer bb, Action<ByteBuffer> decode)
    {
        try
        {
            decode(bb);
        }
        catch (DecodeException)
        {
            return (false, -1);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"input #{n} threw {e.GetType().Name} (only DecodeException may escape): {Convert.ToHexString(input)}", e);
        }
        if (bb.ReadIndex > bb.WriteIndex)
            throw new InvalidOperationException($"input #{n}: read index {bb.ReadIndex} past write index {bb.WriteIndex}");
        return (true, bb.ReadIndex);
    }

    /// <summary>Valid encodings to mutate: random trees and V2 beans, and the golden examples.</summary>
    private static List<byte[]> Corpus(Random r)
    {
        var corpus = new List<byte[]>();
        for (int i = 0; i < 150; i++) corpus.Add(BeanGenerators.Encode(RandomBeans.Tree(r, r.Next(3))));
        for (int i = 0; i < 50; i++) corpus.Add(BeanGenerators.Encode(RandomBeans.V2(r)));
        foreach (string hex in new[]
        {
            "10 40 96 13 02 68 69 00", "30 01 F0 02 FF 00", "F0 8F F0 07 00", "15 06 01 07 10 09 00 00",
            "34 26 10 01 00 00 00", "17 7F DE AC 53 59 3A 76 90 57 10 07 00 00", "27 05 00 00",
            "5A 00 00 80 3F 00 00 00 40 00 00 40 40 00", "19 01 FF 00", "10 02 01 13 01 62 00",
            "25 03 02 01 01 61 02 02 62 63 34 26 10 01 00 00 01 13 02 7A 7A 00",
        })
        {
            corpus.Add(Hex.Parse(hex));
        }
        return corpus;
    }

    private static byte[] Mutate(Random r, List<byte[]> corpus)
    {
        var b = new List<byte>(corpus[r.Next(corpus.Count)]);
        for (int ops = 1 + r.Next(3); ops > 0; ops--)
        {
            int pos = b.Count == 0 ? 0 : r.Next(b.Count);
            switch (r.Next(8))
            {
                case 0 when b.Count > 0: b[pos] ^= (byte)(1 << r.Next(8)); break;
                case 1 when b.Count > 0: b[pos] = Interesting[r.Next(Interesting.Length)]; break;
                case 2: b.InsertRange(pos, RandomBeans.Bytes(r, 1 + r.Next(4))); break;
                case 3 when b.Count > 0: b.RemoveRange(pos, Math.Min(b.Count - pos, 1 + r.Next(8))); break;
                case 4: b.RemoveRange(pos, b.Count - pos); break;
                case 5 when b.Count > 0:
                {
                    int len = Math.Min(b.Count - pos, 1 + r.Next(16));
                    var slice = b.GetRange(pos, len);
                    b.InsertRange(r.Next(b.Count + 1), slice);
                    break;
                }
                case 6:
                {
                    var other = corpus[r.Next(corpus.Count)];
                    int cut = other.Length == 0 ? 0 : r.Next(other.Length);
                    b.RemoveRange(pos, b.Count - pos);
                    b.AddRange(other.AsSpan(cut).ToArray());
                    break;
                }
                case 7 when b.Count > 0:
                    for (int k = pos; k < Math.Min(b.Count, pos + 1 + r.Next(4)); k++) b[k] = 0xFF;
                    break;
            }
        }
        return [.. b];
    }
}
