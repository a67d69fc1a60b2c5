using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace Zeze.Bench.Network;

/// <summary>
/// The socket-model comparison behind Zeze.Net's choice: N1 --raw again (one connection, callers each
/// awaiting their echo, 12-byte framed 100-byte payloads), but on System.IO.Pipelines over a
/// NetworkStream instead of the socket's own ValueTask operations. Run with <c>--workload N1P</c>.
/// </summary>
public sealed class N1PipelinesEcho : IWorkload
{
    private const int PayloadSize = 100;
    private const int FrameSize = 12 + PayloadSize;

    public string Id => "N1P";
    public long DefaultCount => 1_000_000;
    public bool HasRaw => true;
    public bool UsesDatabase => false;

    private sealed class Slot : IValueTaskSource<long>
    {
        private ManualResetValueTaskSourceCore<long> _core;
        public void Reset() => _core.Reset();
        public void Complete(long value) => _core.SetResult(value);
        public ValueTask<long> WaitAsync() => new(this, _core.Version);
        public long GetResult(short token) => _core.GetResult(token);
        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);
        public void OnCompleted(Action<object?> c, object? s, short t, ValueTaskSourceOnCompletedFlags f) => _core.OnCompleted(c, s, t, f);
    }

    public async Task<WorkloadResult> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        long count = options.CountOr(DefaultCount);
        int inFlight = options.Concurrency ?? 1000;
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(listener.LocalEndPoint!);
        using var accepted = await listener.AcceptAsync();
        accepted.NoDelay = true;
        _ = ServeAsync(new NetworkStream(accepted));

        var stream = new NetworkStream(client);
        var reader = PipeReader.Create(stream);
        var writer = PipeWriter.Create(stream);
        var slots = Enumerable.Range(0, inFlight).Select(_ => new Slot()).ToArray();
        var writeLock = new Lock();
        var flush = new FlushLoop(writer, writeLock);
        _ = ReadResponsesAsync(reader, slots);

        await Drive(slots, flush, Math.Min(300_000, count), null);
        var latency = new LatencyRecorder();
        GC.Collect();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        long failures = await Drive(slots, flush, count, latency);
        sw.Stop();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        client.Shutdown(SocketShutdown.Both);
        return new WorkloadResult(count, sw.Elapsed.TotalSeconds, failures == 0, latency,
            FormattableString.Invariant($"pipelines alloc_bytes_per_echo={allocated / (double)count:F0} in_flight={inFlight}"));
    }

    // Callers append under a lock; one flusher writes what accumulated (the same batching as AsyncSocket).
    private sealed class FlushLoop(PipeWriter writer, Lock writeLock)
    {
        private bool _scheduled;

        public void Write(ReadOnlySpan<byte> frame)
        {
            bool start;
            lock (writeLock)
            {
                frame.CopyTo(writer.GetSpan(frame.Length));
                writer.Advance(frame.Length);
                start = !_scheduled;
                _scheduled = true;
            }
            if (start) ThreadPool.UnsafeQueueUserWorkItem(static s => _ = s.FlushAsync(), this, preferLocal: false);
        }

        private async Task FlushAsync()
        {
            while (true)
            {
                ValueTask<FlushResult> flushing;
                lock (writeLock)
                {
                    if (writer.UnflushedBytes == 0)
                    {
                        _scheduled = false;
                        return;
                    }
                    flushing = writer.FlushAsync(); // takes the buffered segments; writes happen outside the lock
                }
                await flushing;
            }
        }
    }

    private static async Task ServeAsync(Stream stream)
    {
        var reader = PipeReader.Create(stream);
        var writer = PipeWriter.Create(stream);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                long whole = buffer.Length - buffer.Length % FrameSize;
                foreach (var segment in buffer.Slice(0, whole))
                {
                    segment.Span.CopyTo(writer.GetSpan(segment.Length));
                    writer.Advance(segment.Length);
                }
                reader.AdvanceTo(buffer.GetPosition(whole), buffer.End);
                await writer.FlushAsync();
                if (result.IsCompleted) return;
            }
        }
        catch (Exception)
        {
            // the client went away
        }
    }

    private static async Task ReadResponsesAsync(PipeReader reader, Slot[] slots)
    {
        var frame = new byte[FrameSize];
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                while (buffer.Length >= FrameSize)
                {
                    buffer.Slice(0, FrameSize).CopyTo(frame);
                    slots[BinaryPrimitives.ReadInt32LittleEndian(frame)].Complete(BinaryPrimitives.ReadInt64LittleEndian(frame.AsSpan(12)));
                    buffer = buffer.Slice(FrameSize);
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted) return;
            }
        }
        catch (Exception)
        {
            // closed
        }
    }

    private static async Task<long> Drive(Slot[] slots, FlushLoop flush, long count, LatencyRecorder? latency)
    {
        long issued = 0, failures = 0;
        async Task Caller(int slotIndex)
        {
            var slot = slots[slotIndex];
            var frame = new byte[FrameSize];
            BinaryPrimitives.WriteInt32LittleEndian(frame, slotIndex);
            BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(8), PayloadSize);
            long id;
            while ((id = Interlocked.Increment(ref issued)) <= count)
            {
                BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(12), id);
                slot.Reset();
                long start = LatencyRecorder.Start();
                flush.Write(frame);
                long echoed = await slot.WaitAsync();
                latency?.Record(start);
                if (echoed != id) Interlocked.Increment(ref failures);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, slots.Length).Select(Caller));
        return failures;
    }
}
