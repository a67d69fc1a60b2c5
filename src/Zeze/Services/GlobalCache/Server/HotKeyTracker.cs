using Zeze.Serialize;

namespace Zeze.Services.GlobalCache;

/// <summary>
/// The N most contended keys, kept in a small fixed table. A key's own contention count (kept in its
/// <see cref="GcmKey"/> while it lives in the key map) is offered on each contention event; a key already in the
/// table counts up, a new one replaces the least contended entry when it beats it. Approximate in the way a
/// heavy-hitters table is (a key that left the map starts again from its own count), and cheap: offers come only
/// on contention, never on an uncontended grant.
/// </summary>
internal sealed class HotKeyTracker(int capacity)
{
    private readonly object _lock = new();
    private readonly Binary[] _keys = new Binary[capacity];
    private readonly long[] _counts = new long[capacity];
    private int _size;

    public void Offer(Binary key, long keyCount)
    {
        if (capacity == 0) return;
        lock (_lock)
        {
            int min = -1;
            for (int i = 0; i < _size; i++)
            {
                if (_keys[i].Equals(key))
                {
                    _counts[i] = Math.Max(_counts[i] + 1, keyCount);
                    return;
                }
                if (min < 0 || _counts[i] < _counts[min]) min = i;
            }
            if (_size < capacity)
            {
                _keys[_size] = key;
                _counts[_size] = keyCount;
                _size++;
            }
            else if (keyCount > _counts[min])
            {
                _keys[min] = key;
                _counts[min] = keyCount;
            }
        }
    }

    public List<GlobalHotKey> Top()
    {
        lock (_lock)
        {
            var list = new List<GlobalHotKey>(_size);
            for (int i = 0; i < _size; i++) list.Add(new GlobalHotKey(_keys[i], _counts[i]));
            list.Sort((a, b) => b.Contention.CompareTo(a.Contention));
            return list;
        }
    }
}
