using System.Diagnostics;
using System.Diagnostics.Metrics;
using Zeze.Net;

namespace Zeze.Bench.Network;

/// <summary>
/// What an echo run costs besides its time, so that two runs can be compared on more than throughput:
/// CPU per operation split into user and kernel time, bytes allocated, GC pause time per operation, and how well frames batch (frames
/// parsed per socket read, counted from the "Zeze.Net" meter: one bytes-received measurement per read).
/// </summary>
internal sealed class EchoRunProbe : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly TimeSpan _user, _kernel;
    private readonly long _allocated;
    private readonly TimeSpan _gcPause;
    private readonly int _gen0, _gen1, _gen2;
    private long _reads, _frames, _writes, _framesSent;

    public EchoRunProbe()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == NetMetrics.MeterName && instrument.Name is "zeze.net.bytes.received" or "zeze.net.frames.received" or "zeze.net.bytes.sent" or "zeze.net.frames.sent")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            switch (instrument.Name)
            {
                case "zeze.net.bytes.received": Interlocked.Increment(ref _reads); break;
                case "zeze.net.frames.received": Interlocked.Add(ref _frames, value); break;
                case "zeze.net.bytes.sent": Interlocked.Increment(ref _writes); break;
                default: Interlocked.Add(ref _framesSent, value); break;
            }
        });
        _listener.Start();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        _user = process.UserProcessorTime;
        _kernel = process.PrivilegedProcessorTime;
        _allocated = GC.GetTotalAllocatedBytes(precise: true);
        _gcPause = GC.GetTotalPauseDuration();
        (_gen0, _gen1, _gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
    }

    /// <summary>The note fields for <paramref name="count"/> operations since this probe started.</summary>
    public string Note(long count, string allocatedName)
    {
        using var process = Process.GetCurrentProcess();
        double user = (process.UserProcessorTime - _user).TotalMicroseconds / count;
        double kernel = (process.PrivilegedProcessorTime - _kernel).TotalMicroseconds / count;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - _allocated;
        double pause = (GC.GetTotalPauseDuration() - _gcPause).TotalMicroseconds / count;
        long reads = Interlocked.Read(ref _reads);
        double framesPerRead = reads > 0 ? Interlocked.Read(ref _frames) / (double)reads : 0;
        long writes = Interlocked.Read(ref _writes);
        double framesPerWrite = writes > 0 ? Interlocked.Read(ref _framesSent) / (double)writes : 0;
        return FormattableString.Invariant(
            $"cpu_us_per_op={user + kernel:F2} user_us={user:F2} kernel_us={kernel:F2} {allocatedName}={allocated / (double)count:F0} gc={GC.CollectionCount(0) - _gen0}/{GC.CollectionCount(1) - _gen1}/{GC.CollectionCount(2) - _gen2} gc_pause_us={pause:F3} frames_per_read={framesPerRead:F1} frames_per_write={framesPerWrite:F1}");
    }

    public void Dispose() => _listener.Dispose();
}
