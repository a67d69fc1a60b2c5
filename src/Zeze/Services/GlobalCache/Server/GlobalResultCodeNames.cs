using System.Reflection;

namespace Zeze.Services.GlobalCache;

/// <summary>Names of the global cache result codes, for logs and the status.</summary>
public static class GlobalResultCodeNames
{
    private static readonly Dictionary<long, string> Names = typeof(GlobalResultCode)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(int))
        .GroupBy(f => (long)(int)f.GetRawConstantValue()!)
        .ToDictionary(g => g.Key, g => g.First().Name);

    /// <summary>"AcquireModifyDeadLockFound" for 23, the framework name for negative codes, else the number.</summary>
    public static string NameOf(long code) =>
        Names.TryGetValue(code, out var n) ? n : Zeze.ResultCode.NameOf(code) ?? code.ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static string Suffix(long code) => code == 0 ? ".Success" : Names.TryGetValue(code, out var n) ? "." + n : "";
}
