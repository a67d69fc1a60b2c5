namespace Zeze.Storage;

/// <summary>
/// The rule behind <see cref="IDatabase.SetInUseAsync"/>, shared by every backend: a server id is used once; without
/// a global cache a database has one user; with one, all users name the same global cache (otherwise their caches
/// would not be kept coherent and they would overwrite each other's records).
/// </summary>
public static class InUseRules
{
    /// <summary>Returns why <paramref name="serverId"/> may not start next to the current users, or null when it may.</summary>
    public static string? Refusal(int serverId, string globalCacheName, IEnumerable<(int ServerId, string GlobalCacheName)> current)
    {
        ArgumentNullException.ThrowIfNull(globalCacheName);
        foreach (var (id, global) in current)
        {
            if (id == serverId)
                return $"server id {serverId} is already in use (global cache '{global}'): another process runs with it, " +
                       "or it crashed without clearing its mark (clear it with ClearInUse before starting again).";
            if (globalCacheName.Length == 0)
                return $"server id {serverId} has no global cache, but server id {id} already uses this database; " +
                       "without a global cache a database has one server.";
            if (global.Length == 0)
                return $"server id {id} uses this database without a global cache, so no other server may use it.";
            if (!string.Equals(global, globalCacheName, StringComparison.Ordinal))
                return $"server id {serverId} names global cache '{globalCacheName}', but server id {id} uses '{global}'; " +
                       "servers sharing a database must share one global cache.";
        }
        return null;
    }
}
