using System.Globalization;

namespace Zeze.Bench.Distributed;

/// <summary>
/// The lines between the runner and its server processes: a word, then <c>key=value</c> fields separated by spaces
/// (values hold no spaces), e.g. <c>DONE ops=500000 seconds=1.234 lat=12:3,13:40</c>.
/// </summary>
internal static class Fields
{
    public static Dictionary<string, string> Parse(string line)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string part in line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            int eq = part.IndexOf('=');
            if (eq > 0) fields[part[..eq]] = part[(eq + 1)..];
        }
        return fields;
    }

    public static long Long(this Dictionary<string, string> fields, string key) =>
        fields.TryGetValue(key, out var v) ? long.Parse(v, CultureInfo.InvariantCulture) : throw new FormatException($"no field '{key}'");

    public static double Double(this Dictionary<string, string> fields, string key) =>
        fields.TryGetValue(key, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : throw new FormatException($"no field '{key}'");

    /// <summary>Formats fields in the invariant culture: <c>WORD k=v k=v</c>.</summary>
    public static string Line(string word, params (string Key, object Value)[] fields) =>
        word + string.Concat(fields.Select(f => " " + f.Key + "=" + Convert.ToString(f.Value, CultureInfo.InvariantCulture)));
}
