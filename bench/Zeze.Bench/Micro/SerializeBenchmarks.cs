using BenchmarkDotNet.Attributes;
using Zeze.Serialize;

namespace Zeze.Bench.Micro;

/// <summary>
/// Encode and decode of a 10-field bean with a list and a map, into a pooled buffer. Encode-only must not
/// allocate; decode allocates the strings and the binary it reads (and nothing else when the target bean,
/// its list and its map are reused).
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class SerializeBenchmarks
{
    private readonly BenchBean _value = new();
    private readonly BenchBean _target = new();
    private byte[] _encoded = [];

    [GlobalSetup]
    public void Setup()
    {
        _value.Id = 1_234_567_890_123;
        _value.Level = 42;
        _value.Name = "player-0001";
        _value.Online = true;
        _value.Speed = 3.5f;
        _value.Score = 98765.4321;
        _value.Token = new Binary([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
        for (int i = 0; i < 10; i++) _value.Items.Add(i * 1000);
        for (int i = 0; i < 5; i++) _value.Friends[1000 + i] = "friend-" + i;
        _value.Position = new BenchPosition { X = 100, Y = -200, Z = 7 };
        var bb = ByteBuffer.Allocate();
        _value.Encode(bb);
        _encoded = bb.ToArray();
    }

    [Benchmark]
    public int EncodePooled()
    {
        var bb = ByteBuffer.Rent();
        _value.Encode(bb);
        int size = bb.Size;
        ByteBuffer.Return(bb);
        return size;
    }

    [Benchmark]
    public long DecodeReused()
    {
        var bb = ByteBuffer.Wrap(_encoded);
        _target.Decode(bb);
        return _target.Id;
    }

    [Benchmark]
    public long RoundTripPooled()
    {
        var bb = ByteBuffer.Rent();
        _value.Encode(bb);
        _target.Decode(bb);
        ByteBuffer.Return(bb);
        return _target.Id;
    }

    [Benchmark]
    public long RoundTripFreshBean()
    {
        var bb = ByteBuffer.Rent();
        _value.Encode(bb);
        var fresh = new BenchBean();
        fresh.Decode(bb);
        ByteBuffer.Return(bb);
        return fresh.Id;
    }
}
