using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Zeze.Serialize;

namespace Zeze.Transaction;

/// <summary>
/// Unique ids for auto-key tables, unique across the servers sharing a database. Ranges of ids are reserved in
/// a builtin table inside the asking transaction (so a redo or a rollback reserves nothing) and handed out from
/// memory afterwards; ids from a range are never reused, so gaps are possible. An id is the big-endian integer
/// made of the server id's compact form (when it is not 0) followed by the seed's compact form.
/// </summary>
public sealed class AutoKeys
{
    internal const string TableName = "Zeze_Builtin_AutoKey";

    private readonly Application _app;
    private readonly ConcurrentDictionary<string, AutoKey> _keys = new(StringComparer.Ordinal);

    internal AutoKeys(Application app)
    {
        _app = app;
        Table = new AutoKeyTable();
    }

    internal AutoKeyTable Table { get; }

    /// <summary>The next id for <paramref name="name"/> (usually a table name). Call inside a procedure.</summary>
    public ValueTask<long> NextIdAsync(string name) => _keys.GetOrAdd(name, n => new AutoKey(this, n)).NextIdAsync();

    /// <summary>A random 16-byte key for <c>autokey="random"</c> tables.</summary>
    public static Binary NextRandomKey() => Binary.Wrap(RandomNumberGenerator.GetBytes(16));

    private sealed class AutoKey(AutoKeys owner, string name)
    {
        private readonly object _gate = new();
        private long _next;
        private long _end;
        private int _rangeSize = 64;
        private long _rangeStartTicks;

        public async ValueTask<long> NextIdAsync()
        {
            lock (_gate)
            {
                if (_next < _end) return MakeId(_next++);
            }
            var txn = Transaction.Require("AutoKeys.NextIdAsync");
            var app = owner._app;
            string key = app.Options.ServerId + ":" + name;
            var record = await owner.Table.GetOrAddAsync(key);
            int size;
            lock (_gate) size = _rangeSize;
            long start = record.NextId;
            record.NextId = start + size;
            txn.WhileCommit(() => Install(start + 1, start + size, app.TimeProvider));
            return MakeId(start);
        }

        private void Install(long next, long end, TimeProvider time)
        {
            lock (_gate)
            {
                // Adapt the range: double when the previous one was used up quickly, halve when slowly.
                long now = time.GetTimestamp();
                if (_rangeStartTicks != 0)
                {
                    var used = time.GetElapsedTime(_rangeStartTicks, now);
                    if (used < TimeSpan.FromSeconds(30)) _rangeSize = Math.Min(_rangeSize * 2, 1 << 20);
                    else if (used > TimeSpan.FromSeconds(120)) _rangeSize = Math.Max(_rangeSize / 2, 64);
                }
                _rangeStartTicks = now;
                if (_next >= _end)
                {
                    _next = next;
                    _end = end;
                }
                // else: the current range still has ids; the new one is left unused (a gap, never a duplicate).
            }
        }

        private long MakeId(long seed)
        {
            var bb = ByteBuffer.Allocate(18);
            int serverId = owner._app.Options.ServerId;
            if (serverId > 0) bb.WriteUInt(serverId);
            bb.WriteULong((ulong)seed);
            if (bb.Size > 8)
                throw new InvalidOperationException($"auto key '{name}' overflowed: server id {serverId} and seed {seed} need more than 8 bytes");
            long id = 0;
            foreach (byte b in bb.Span) id = (id << 8) | b;
            return id;
        }
    }
}

/// <summary>The builtin table of auto-key ranges: "serverId:name" → next seed.</summary>
internal sealed class AutoKeyTable() : Table<string, BAutoKey>(Hash32(AutoKeys.TableName), AutoKeys.TableName)
{
    public override void EncodeKey(ByteBuffer bb, string key) => bb.WriteString(key);
    public override string DecodeKey(ByteBuffer bb) => bb.ReadString();

    /// <summary>Zeze's 32-bit name hash (stable, as for generated tables).</summary>
    internal static int Hash32(string s)
    {
        ulong h = 3074457345618258791UL;
        foreach (char c in s) h = unchecked((h + c) * 3074457345618258799UL);
        return (int)((uint)h ^ (uint)(h >> 32));
    }
}

/// <summary>An auto key's next seed (the shape of a generated bean: { long NextId = 1; }).</summary>
internal sealed class BAutoKey : Bean
{
    private long _nextId = 1;

    public override long TypeId => 0x5A455A45_4155544BL; // "ZEZEAUTK"

    public long NextId
    {
        get => IsManaged ? GetField(1, _nextId) : _nextId;
        set
        {
            if (IsManaged) PutField(new LogNextId(this, value));
            else _nextId = value;
        }
    }

    public override void Encode(ByteBuffer bb)
    {
        int i = 0;
        long x = NextId;
        if (x != 0)
        {
            i = bb.WriteTag(i, 1, ByteBuffer.INTEGER);
            bb.WriteLong(x);
        }
        bb.WriteByte(0);
    }

    public override void Decode(ByteBuffer bb)
    {
        ThrowIfManagedForDecode();
        int t = bb.ReadByte();
        int i = bb.ReadTagSize(t);
        while ((t & 0xff) > 1 && i < 1) { bb.SkipUnknownField(t); i += bb.ReadTagSize(t = bb.ReadByte()); }
        if (i == 1)
        {
            _nextId = bb.ReadLong(t);
            i += bb.ReadTagSize(t = bb.ReadByte());
        }
        else
        {
            _nextId = 0;
        }
        bb.SkipAllUnknownFields(t);
    }

    public override Bean CopyBean() => new BAutoKey { _nextId = NextId };
    public override void BuildString(StringBuilder sb, int level) => sb.Append("BAutoKey(NextId=").Append(NextId).Append(')');
    protected override void InitChildrenRootInfo(Record root) { }
    protected override void ResetChildrenRootInfo() { }

    private sealed class LogNextId(BAutoKey belong, long value) : Log<long>(belong, 1, value)
    {
        public override void Commit() => ((BAutoKey)Belong!)._nextId = Value;
    }
}
