using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Zeze.Transaction.Tests.Servers;

/// <summary>
/// Watches one application's checkpoint through its metrics (meter "Zeze", told apart by the <c>zeze.app</c> tag), as
/// a monitoring system would: samples the <c>zeze.checkpoint.backlog</c> gauge every few milliseconds and notes when
/// writes fail (<c>zeze.checkpoint.failures</c>) and succeed (<c>zeze.checkpoint.records</c>).
/// </summary>
internal sealed class CheckpointProbe : IAsyncDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(TimeSpan At, long Backlog)> _samples = [];
    private readonly List<TimeSpan> _failures = [];
    private readonly List<TimeSpan> _writes = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _backlog = -1;

    public CheckpointProbe(string appName, TimeSpan interval)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ZezeMetrics.MeterName
                && instrument.Name is "zeze.checkpoint.backlog" or "zeze.checkpoint.failures" or "zeze.checkpoint.records"
                && instrument.Meter.Tags?.Any(t => t.Key == "zeze.app" && Equals(t.Value, appName)) == true)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            switch (instrument.Name)
            {
                case "zeze.checkpoint.backlog": Volatile.Write(ref _backlog, value); break;
                case "zeze.checkpoint.failures": lock (_failures) _failures.Add(_clock.Elapsed); break;
                default: lock (_writes) _writes.Add(_clock.Elapsed); break;
            }
        });
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            try
            {
                do Sample();
                while (await timer.WaitForNextTickAsync(_stop.Token));
            }
            catch (OperationCanceledException)
            {
                // disposed
            }
        });
    }

    /// <summary>Time since the probe started (the clock of everything it records).</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Reads the backlog gauge now and records it.</summary>
    public long Sample()
    {
        _listener.RecordObservableInstruments();
        long value = Volatile.Read(ref _backlog);
        lock (_samples) _samples.Add((_clock.Elapsed, value));
        return value;
    }

    public List<(TimeSpan At, long Backlog)> Between(TimeSpan from, TimeSpan to)
    {
        lock (_samples) return _samples.Where(s => s.At >= from && s.At <= to).ToList();
    }

    public List<TimeSpan> Failures
    {
        get { lock (_failures) return [.. _failures]; }
    }

    /// <summary>The first successful database write after <paramref name="t"/>, if any.</summary>
    public TimeSpan? FirstWriteAfter(TimeSpan t)
    {
        lock (_writes) return _writes.Where(w => w > t).Select(w => (TimeSpan?)w).FirstOrDefault();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _listener.Dispose();
        _stop.Dispose();
    }
}
