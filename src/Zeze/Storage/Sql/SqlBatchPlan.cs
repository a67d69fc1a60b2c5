namespace Zeze.Storage.Sql;

/// <summary>
/// Turns a batch into few statements: the last write to each key wins (a multi-row upsert may not name a key twice),
/// then puts and deletes are grouped per table, sorted by key (servers writing overlapping keys then lock rows in
/// the same order, which avoids most deadlocks), and cut into chunks a statement can carry.
/// </summary>
internal static class SqlBatchPlan
{
    public static List<(KvTable Table, bool Delete, List<KvWrite> Rows)> Group(IReadOnlyList<KvWrite> writes)
    {
        var last = new Dictionary<(KvTable, byte[]), KvWrite>(writes.Count, KeyComparer.Instance);
        foreach (var write in writes)
            last[(write.Table, write.Key)] = write;
        return last.Values
            .GroupBy(w => (w.Table, w.IsDelete))
            .OrderBy(g => g.Key.Table.Name, StringComparer.Ordinal).ThenBy(g => g.Key.IsDelete)
            .Select(g => (g.Key.Table, g.Key.IsDelete, g.OrderBy(w => w.Key, ByteArrayComparer.Instance).ToList()))
            .ToList();
    }

    public static IEnumerable<ArraySegment<KvWrite>> Chunks(List<KvWrite> rows, int maxRows, int maxBytes)
    {
        var all = rows.ToArray();
        int start = 0;
        while (start < all.Length)
        {
            int end = start, bytes = 0;
            while (end < all.Length && end - start < maxRows)
            {
                int size = all[end].Key.Length + (all[end].Value?.Length ?? 0);
                if (end > start && bytes + size > maxBytes)
                    break;
                bytes += size;
                end++;
            }
            yield return new ArraySegment<KvWrite>(all, start, end - start);
            start = end;
        }
    }

    private sealed class KeyComparer : IEqualityComparer<(KvTable Table, byte[] Key)>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals((KvTable Table, byte[] Key) x, (KvTable Table, byte[] Key) y) =>
            ReferenceEquals(x.Table, y.Table) && ByteArrayComparer.Instance.Equals(x.Key, y.Key);

        public int GetHashCode((KvTable Table, byte[] Key) obj) =>
            HashCode.Combine(obj.Table, ByteArrayComparer.Instance.GetHashCode(obj.Key));
    }
}
