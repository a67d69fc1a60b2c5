namespace Zeze.Storage;

/// <summary>In-use marks held in memory (the Memory store's, and RocksDB's, whose directory lock keeps other processes out).</summary>
internal sealed class InUseMarks
{
    private readonly Dictionary<int, string> _marks = [];

    /// <summary>Returns the refusal, or null after marking.</summary>
    public string? TrySet(int serverId, string globalCacheName)
    {
        lock (_marks)
        {
            string? refusal = InUseRules.Refusal(serverId, globalCacheName, _marks.Select(m => (m.Key, m.Value)));
            if (refusal is null)
                _marks.Add(serverId, globalCacheName);
            return refusal;
        }
    }

    public bool Clear(int serverId)
    {
        lock (_marks)
            return _marks.Remove(serverId);
    }
}
