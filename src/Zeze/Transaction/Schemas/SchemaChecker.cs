using System.Text.Json;
using System.Text.Json.Serialization;

namespace Zeze.Transaction.Schemas;

/// <summary>
/// Compares the schema of the running code with the one stored in the database by the previous start, and
/// refuses changes that would make stored data unreadable or silently different: a variable changing to an
/// incompatible type, a deleted variable id reused with another type, a bean key losing a field. Variables that
/// disappear are remembered as deleted, so the rule holds across many releases.
/// </summary>
/// <remarks>
/// Compatible type changes follow the wire's conversions: integers, bool, float and double among themselves;
/// string, binary and decimal among themselves; list with list (array); set with set; map with map (keys and
/// values compatible); vectors among themselves; beans by their fields, recursively.
/// </remarks>
public sealed class SchemaChecker
{
    /// <summary>The schema record lives in the default database, one for all servers sharing it.</summary>
    public const string StorageKey = "zeze.Schemas";

    public sealed class Stored
    {
        public Dictionary<string, StoredTable> Tables { get; set; } = new(StringComparer.Ordinal);
        public Dictionary<string, StoredBean> Beans { get; set; } = new(StringComparer.Ordinal);
    }

    public sealed class StoredTable
    {
        public string Key { get; set; } = "";
        public string Value { get; set; } = "";
    }

    public sealed class StoredBean
    {
        public bool IsKey { get; set; }
        public List<StoredVariable> Variables { get; set; } = [];
    }

    public sealed class StoredVariable
    {
        public int Id { get; set; }
        public string Name { get; set; } = "";
        public string Type { get; set; } = "";

        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
        public bool Deleted { get; set; }
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static byte[] Serialize(Stored s) => JsonSerializer.SerializeToUtf8Bytes(s, Json);

    public static Stored Deserialize(byte[] data) =>
        JsonSerializer.Deserialize<Stored>(data, Json) ?? throw new InvalidDataException("the stored schema is empty");

    /// <summary>The schema of the given tables as it would be stored.</summary>
    public static Stored FromTables(IEnumerable<TableSchema> tables)
    {
        var s = new Stored();
        foreach (var t in tables)
        {
            if (t.NoSchema) continue;
            s.Tables[t.Name] = new StoredTable { Key = t.KeyType, Value = t.ValueType };
            foreach (var (name, bean) in t.Beans)
            {
                s.Beans.TryAdd(name, new StoredBean
                {
                    IsKey = bean.IsKey,
                    Variables = bean.Variables.Select(v => new StoredVariable { Id = v.Id, Name = v.Name, Type = v.Type }).ToList(),
                });
            }
        }
        return s;
    }

    private readonly Stored _old;
    private readonly Stored _current;
    private readonly List<string> _errors = [];
    private readonly HashSet<(string, string)> _compared = [];

    public SchemaChecker(Stored old, Stored current)
    {
        _old = old;
        _current = current;
    }

    /// <summary>Checks every table present in both schemas; returns the problems (empty when compatible).</summary>
    public IReadOnlyList<string> Check()
    {
        var keyBeans = KeyBeans(_current);
        foreach (var (name, table) in _current.Tables)
        {
            if (!_old.Tables.TryGetValue(name, out var old)) continue; // a new table
            if (!Compatible(old.Key, table.Key, $"table {name}: the key", keyBeans))
                _errors.Add($"table {name}: the key type changed from {old.Key} to {table.Key}, so stored keys cannot be found any more");
            CompareBean(old.Value, table.Value, $"table {name}", keyBeans);
        }
        return _errors;
    }

    /// <summary>The schema to store now: the current one plus every variable that was ever deleted.</summary>
    public Stored Merged()
    {
        var merged = new Stored();
        foreach (var (name, t) in _old.Tables) merged.Tables[name] = t;
        foreach (var (name, t) in _current.Tables) merged.Tables[name] = t;
        foreach (var (name, b) in _old.Beans) merged.Beans[name] = b;
        foreach (var (name, cur) in _current.Beans)
        {
            var vars = cur.Variables.Select(v => new StoredVariable { Id = v.Id, Name = v.Name, Type = v.Type }).ToList();
            if (_old.Beans.TryGetValue(name, out var old))
            {
                foreach (var ov in old.Variables)
                {
                    if (!vars.Exists(v => v.Id == ov.Id))
                        vars.Add(new StoredVariable { Id = ov.Id, Name = ov.Name, Type = ov.Type, Deleted = true });
                }
            }
            vars.Sort((a, b) => a.Id.CompareTo(b.Id));
            merged.Beans[name] = new StoredBean { IsKey = cur.IsKey, Variables = vars };
        }
        return merged;
    }

    private static HashSet<string> KeyBeans(Stored s)
    {
        // Bean keys used as keys (table keys, map keys, set elements): their stored form must keep every field.
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in s.Tables.Values) used.Add(t.Key);
        foreach (var b in s.Beans.Values)
        {
            foreach (var v in b.Variables)
            {
                if (TrySplit(v.Type, "map", out var kv)) used.Add(kv[0]);
                else if (TrySplit(v.Type, "set", out var e)) used.Add(e[0]);
            }
        }
        return used;
    }

    private void CompareBean(string oldName, string curName, string where, HashSet<string> keyBeans)
    {
        if (!_compared.Add((oldName, curName))) return; // recursive types: compared once
        if (!_old.Beans.TryGetValue(oldName, out var old) || !_current.Beans.TryGetValue(curName, out var cur)) return;
        foreach (var v in cur.Variables)
        {
            var ov = old.Variables.Find(x => x.Id == v.Id);
            if (ov == null) continue; // a new variable
            if (ov.Deleted)
            {
                if (ov.Type != v.Type)
                    _errors.Add($"{where}: bean {curName} variable {v.Id} '{v.Name}' reuses the id of deleted variable '{ov.Name}' with another type ({ov.Type} -> {v.Type}); old data would be misread");
                continue;
            }
            if (!Compatible(ov.Type, v.Type, $"{where}: bean {curName} variable {v.Id} '{v.Name}'", keyBeans))
                _errors.Add($"{where}: bean {curName} variable {v.Id} '{v.Name}' changed from {ov.Type} to {v.Type}, which cannot read the stored data");
        }
        if (cur.IsKey && (keyBeans.Contains(curName) || keyBeans.Contains(oldName)))
        {
            foreach (var ov in old.Variables)
            {
                if (!ov.Deleted && !cur.Variables.Exists(v => v.Id == ov.Id))
                    _errors.Add($"{where}: bean key {curName} lost variable {ov.Id} '{ov.Name}'; it is used as a key, so stored keys would no longer match");
            }
        }
    }

    private bool Compatible(string a, string b, string where, HashSet<string> keyBeans)
    {
        string ga = Group(a), gb = Group(b);
        if (ga != gb) return false;
        switch (ga)
        {
            case "list":
            case "set":
                return Compatible(Split(a)[0], Split(b)[0], where, keyBeans);
            case "map":
            {
                var x = Split(a);
                var y = Split(b);
                return Compatible(x[0], y[0], where, keyBeans) && Compatible(x[1], y[1], where, keyBeans);
            }
            case "bean":
                CompareBean(a, b, where, keyBeans);
                return true; // problems inside are reported with their own message
            default:
                return true;
        }
    }

    private string Group(string type)
    {
        switch (type)
        {
            case "bool": case "byte": case "short": case "int": case "long": case "float": case "double": return "number";
            case "string": case "binary": case "decimal": return "bytes";
            case "vector2": case "vector2int": case "vector3": case "vector3int": case "vector4": case "quaternion": return "vector";
            case "dynamic": return "dynamic";
        }
        if (type.StartsWith("list[", StringComparison.Ordinal)) return "list";
        if (type.StartsWith("set[", StringComparison.Ordinal)) return "set";
        if (type.StartsWith("map[", StringComparison.Ordinal)) return "map";
        return "bean";
    }

    private static string[] Split(string type)
    {
        int open = type.IndexOf('[');
        string inner = type[(open + 1)..^1];
        int depth = 0;
        for (int i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '[') depth++;
            else if (inner[i] == ']') depth--;
            else if (inner[i] == ',' && depth == 0) return [inner[..i], inner[(i + 1)..]];
        }
        return [inner];
    }

    private static bool TrySplit(string type, string kind, out string[] parts)
    {
        if (type.StartsWith(kind + "[", StringComparison.Ordinal))
        {
            parts = Split(type);
            return true;
        }
        parts = [];
        return false;
    }
}
