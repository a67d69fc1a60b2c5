using System.Buffers.Binary;
using System.Diagnostics;
using System.Threading.Tasks.Sources;
using Zeze.Net;
using Zeze.Serialize;

namespace Zeze.Bench.Network;

/// <summary>
/// N1 --raw: the same sockets, framing, send batching and task structure (one connection, callers each
/// awaiting their echo), but no protocol objects, serialization, rpc contexts or dispatch: the server
/// echoes each frame's bytes and the client matches the reply to its caller by the slot number in it.
/// </summary>
internal static class RawEchoRun
{
    private const int PayloadSize = 100;

    private sealed class EchoServer(ServiceOptions options) : Service("raw-server", options)
    {
        protected internal override void DispatchFrame(AsyncSocket socket, int moduleId, int protocolId, ByteBuffer payload) =>
            socket.Send(payload.Bytes.AsSpan(payload.ReadIndex - 12, payload.Size + 12));
    }

    private sealed class Slot : IValueTaskSource<long>
    {
        private ManualResetValueTaskSourceCore<long> _core; // inline continuations, as the rpc completion
        public void Reset() => _core.Reset();
        public void Complete(long value) => _core.SetResult(value);
        public ValueTask<long> WaitAsync() => new(this, _core.Version);
        public long GetResult(short token) => _core.GetResult(token);
        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);
        public void OnCompleted(Action<object?> c, object? s, short t, ValueTaskSourceOnCompletedFlags f) => _core.OnCompleted(c, s, t, f);
    }

    private sealed class EchoClient(ServiceOptions options, Slot[] slots) : Service("raw-client", options)
    {
        protected internal override void DispatchFrame(AsyncSocket socket, int moduleId, int protocolId, ByteBuffer payload) =>
            slots[moduleId].Complete(BinaryPrimitives.ReadInt64LittleEndian(payload.Span));
    }

    public static async Task<WorkloadResult> RunAsync(long count, int inFlight)
    {
        var serverOptions = new ServiceOptions { KeepCheckPeriod = 0 };
        serverOptions.Acceptors.Add(new AcceptorOptions { Ip = "127.0.0.1", Port = 0 });
        var slots = Enumerable.Range(0, inFlight).Select(_ => new Slot()).ToArray();
        await using var server = new EchoServer(serverOptions);
        await using var client = new EchoClient(new ServiceOptions { KeepCheckPeriod = 0 }, slots);
        await server.StartAsync();
        var so = await client.ConnectAsync("127.0.0.1", server.Acceptors[0].LocalEndPoint!.Port);
        await so.Ready;

        await EchoWarmup.RunAsync(n => Drive(so, slots, n, null), count);
        var latency = new LatencyRecorder();
        using var probe = new EchoRunProbe();
        var sw = Stopwatch.StartNew();
        long failures = await Drive(so, slots, count, latency);
        sw.Stop();
        string note = probe.Note(count, "alloc_bytes_per_echo") + FormattableString.Invariant($" in_flight={inFlight}");
        return new WorkloadResult(count, sw.Elapsed.TotalSeconds, failures == 0, latency, note);
    }

    private static async Task<long> Drive(AsyncSocket so, Slot[] slots, long count, LatencyRecorder? latency)
    {
        long issued = 0, failures = 0;
        async Task Caller(int slotIndex)
        {
            var slot = slots[slotIndex];
            // moduleId carries the slot (the "length-prefixed" frame is Zeze's 12-byte header); the payload starts with the id.
            var frame = new byte[12 + PayloadSize];
            BinaryPrimitives.WriteInt32LittleEndian(frame, slotIndex);
            BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(8), PayloadSize);
            long id;
            while ((id = Interlocked.Increment(ref issued)) <= count)
            {
                BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(12), id);
                slot.Reset();
                long start = LatencyRecorder.Start();
                so.Send(frame);
                long echoed = await slot.WaitAsync();
                latency?.Record(start);
                if (echoed != id) Interlocked.Increment(ref failures);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, slots.Length).Select(Caller));
        return failures;
    }
}
