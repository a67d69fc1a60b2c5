namespace Zeze.Transaction.Schemas;

/// <summary>One variable of a bean as the schema declares it. <see cref="Type"/> is the schema spelling
/// (<c>int</c>, <c>list[demo.Bean1]</c>, <c>map[long,string]</c>, a bean's full name...).</summary>
public sealed record VariableSchema(int Id, string Name, string Type);

/// <summary>A bean or bean key of the schema.</summary>
public sealed record BeanSchema(string Name, bool IsKey, IReadOnlyList<VariableSchema> Variables);

/// <summary>A table: its key type, its value bean and the catalog of every bean its value can reach.</summary>
public sealed record TableSchema(string Name, string KeyType, string ValueType, bool NoSchema, IReadOnlyDictionary<string, BeanSchema> Beans);
